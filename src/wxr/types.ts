/**
 * What a WordPress eXtended RSS file holds, record by record, as the streaming reader (reader.ts) yields it and the
 * importer (import.ts) and writer (writer.ts) use it. Every string is the element's text as XML gives it (entities
 * and CDATA sections already joined); WordPress HTML-escapes some of them once more (titles, term and author
 * names: `SEO &amp; Sosmed`), which the importer decodes, since only it knows which.
 */

/** The export's own description of the blog: first in the file, before any other record. */
export interface WxrChannel {
  kind: 'channel';
  /** 1.0, 1.1 or 1.2: read from the `wp` namespace's URI (http://wordpress.org/export/1.2/). */
  wxrVersion: string;
  title: string;
  /** The blog's address (`<link>`). */
  link: string;
  /** The tagline (`<description>`). */
  description: string;
  /** A BCP 47 tag such as `id-ID`, or '' when absent. */
  language: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
}

export interface WxrAuthor {
  kind: 'author';
  /** 0 when the file has none (WXR 1.0). */
  id: number;
  login: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
}

export interface WxrTerm {
  kind: 'term';
  /** `category` and `post_tag` for `<wp:category>` and `<wp:tag>`; any other taxonomy as `<wp:term>` names it. */
  taxonomy: string;
  /** 0 when the file has none. */
  id: number;
  slug: string;
  name: string;
  /** The parent's slug (same taxonomy), or ''. */
  parentSlug: string;
  description: string;
}

export interface WxrComment {
  id: number;
  /** 0: a top-level comment. */
  parentId: number;
  author: string;
  authorEmail: string;
  authorUrl: string;
  authorIp: string;
  /** `YYYY-MM-DD HH:MM:SS` in the blog's time zone, and in UTC; either may be '' or `0000-00-00 00:00:00`. */
  date: string;
  dateGmt: string;
  /** WordPress's plain text with inline HTML (paragraphs are blank lines). */
  content: string;
  /** `1`, `0`, `spam`, `trash` (or `post-trashed`). */
  approved: string;
  /** '' or `comment` for a comment; `pingback`, `trackback`… */
  type: string;
  /** The commenter's account on the blog (0 for a guest). */
  userId: number;
  meta: Record<string, string>;
}

export interface WxrItem {
  kind: 'item';
  /** `post`, `page`, `attachment`, `nav_menu_item`, `wp_block`… */
  postType: string;
  id: number;
  title: string;
  /** `<link>`: the item's permalink on the old blog ('' when absent). */
  link: string;
  guid: string;
  /** The author's login (`<dc:creator>`). */
  creator: string;
  /** `content:encoded` and `excerpt:encoded`: HTML, possibly with block-editor comments. */
  content: string;
  excerpt: string;
  /** Local time and UTC, `YYYY-MM-DD HH:MM:SS`; either may be '' or `0000-00-00 00:00:00`. */
  postDate: string;
  postDateGmt: string;
  /** `publish`, `draft`, `future`, `private`, `pending`, `trash`, `inherit` (attachments)… */
  status: string;
  /** '' on drafts that never had one. */
  slug: string;
  /** WordPress's post id of the parent (a page's parent page, an attachment's post), 0 for none. */
  parentId: number;
  menuOrder: number;
  commentStatus: string;
  password: string;
  sticky: boolean;
  /** An attachment's file address, '' otherwise. */
  attachmentUrl: string;
  /** The item's categories and tags, in file order. */
  terms: { taxonomy: string; slug: string; name: string }[];
  /** `wp:postmeta`: `_wp_trash_meta_status`, `_wp_desired_post_slug`, `_thumbnail_id`… (the last value of a repeated key). */
  meta: Record<string, string>;
  /** In file order; a reply may come before the comment it answers. */
  comments: WxrComment[];
}

export type WxrRecord = WxrChannel | WxrAuthor | WxrTerm | WxrItem;

/** Where reading stopped: the file is not WXR, not well-formed XML, or cut short. Nothing should be imported. */
export class WxrError extends Error {
  constructor(
    message: string,
    /** The file's name, and the entry's name inside a zip. */
    readonly file: string,
    /** 1-based; 0 when the problem is not at a line (an empty file, a zip without XML). */
    readonly line: number,
  ) {
    super(line > 0 ? `${file}, line ${line}: ${message}` : `${file}: ${message}`);
    this.name = 'WxrError';
  }
}
