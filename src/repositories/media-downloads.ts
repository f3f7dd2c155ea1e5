import type { Database } from 'better-sqlite3';
import type { RenderedColumns } from './posts-admin.js';

/** An imported HTML post's source, read to find the old blog's image addresses in it. */
export interface ImportedPostSource {
  id: number;
  source: string;
  excerpt: string;
  authorId: number;
}

export interface DownloadedMedia {
  fileName: string;
  sourceUrl: string;
  originalName: string;
  mime: string;
  size: number;
  uploadedBy: number;
  postId: number;
}

/** What `--download-media` reads and writes: imported attachments and posts, and the media rows that replace their old addresses. */
export function createMediaDownloadsRepository(db: Database) {
  const sites = db.prepare('SELECT DISTINCT site FROM wp_origins').pluck();
  const known = db.prepare('SELECT id, source_url AS sourceUrl, file_name AS fileName FROM media WHERE source_url IS NOT NULL ORDER BY id');
  const setFile = db.prepare('UPDATE media SET file_name = ?, mime = ?, size = ? WHERE id = ? AND file_name IS NULL');
  const add = db.prepare(`INSERT INTO media (file_name, source_url, original_name, mime, size, uploaded_by, post_id)
    VALUES (@fileName, @sourceUrl, @originalName, @mime, @size, @uploadedBy, @postId)`);
  // HTML posts only: what the importer wrote (the editor keeps each post's format).
  const posts = db.prepare(`SELECT id, body_markdown AS source, excerpt, author_id AS authorId FROM posts
    WHERE id > ? AND source_format = 'html' AND id IN (SELECT local_id FROM wp_origins WHERE kind = 'post') ORDER BY id LIMIT ?`);
  // Only over the source that was read: an edit saved meanwhile (the blog may be running) is not overwritten.
  const setBody = db.prepare(`UPDATE posts SET body_markdown = @source, body_html = @bodyHtml, body_text = @bodyText,
    excerpt_html = @excerptHtml, says_more = @saysMore WHERE id = @id AND body_markdown = @before`);

  return {
    /** The imported blogs' addresses (each export's base_blog_url). */
    sites: () => sites.all() as string[],
    /** Every media row that came from an address, downloaded (fileName set) or not. */
    mediaFromAddresses: () => known.all() as { id: number; sourceUrl: string; fileName: string | null }[],
    /** False when another run recorded this row's file meanwhile. */
    setFile: (id: number, file: { fileName: string; mime: string; size: number }) => setFile.run(file.fileName, file.mime, file.size, id).changes > 0,
    add: (media: DownloadedMedia) => Number(add.run(media).lastInsertRowid),
    /** Imported posts and pages in id order, `limit` after `afterId`. */
    importedPosts: (afterId: number, limit: number) => posts.all(afterId, limit) as ImportedPostSource[],
    /** False when the post changed since it was read. */
    setBody: (post: { id: number; before: string; source: string } & RenderedColumns) =>
      setBody.run({ ...post, saysMore: post.saysMore ? 1 : 0 }).changes > 0,
  };
}

export type MediaDownloadsRepository = ReturnType<typeof createMediaDownloadsRepository>;
