import path from 'node:path';
import { uploadPath } from '../permalinks.js';
import type { MediaDownloadsRepository } from '../repositories/media-downloads.js';
import type { RenderedPost } from '../services/markdown.js';
import type { MediaService, StoredFile, UploadRefusal } from '../services/media.js';
import { fetchChecked, type FetchFailure } from './safe-fetch.js';

export const DOWNLOAD_TIMEOUT_MS = 10_000;
export const MAX_REDIRECTS = 3;
/** The summary lists this many failed addresses; the count of the rest is told. */
const MAX_LISTED = 200;
const BATCH = 100;

export interface DownloadSummary {
  /** Files fetched into the media library by this run. */
  downloaded: number;
  /** Posts and pages whose body now links to /uploads/ instead of the old blog. */
  postsRewritten: number;
  /** Per reason, how many addresses were left as they were. */
  failed: Record<string, number>;
  /** `address: reason`, one line each. */
  failures: string[];
}

export interface DownloadMediaDeps {
  repo: MediaDownloadsRepository;
  media: Pick<MediaService, 'storeFile' | 'discardFile' | 'limit' | 'addSizes'>;
  /** The importer's renderer: a post's HTML source as its stored body, the downloaded images sized. */
  renderPost: (html: string, excerpt: string) => RenderedPost;
  allowPrivate: boolean;
  /** The old blog's addresses beside those the imports recorded (an export's base_site_url). */
  sites?: string[];
  timeoutMs?: number;
}

/** An absolute http(s) address in HTML or text, up to a quote, space, bracket, query or fragment. Linear: one class. */
const ADDRESS = /https?:\/\/[^\s"'<>()\\&?#]+/gi;
/** Where WordPress keeps uploads, and the names a browser shows as images. */
const UPLOADS = /^\/wp-content\/uploads\//;
const IMAGE_NAME = /\.(?:jpe?g|jpe|png|gif|webp|avif|svg|bmp|tiff?|heic|ico)$/i;

const hostOf = (address: string) => {
  try {
    return new URL(address).hostname.toLowerCase();
  } catch {
    return '';
  }
};

/** An image on the old blog's uploads, as a post may link it. */
function isOldUpload(address: string, hosts: Set<string>): boolean {
  try {
    const url = new URL(address);
    return hosts.has(url.hostname.toLowerCase()) && UPLOADS.test(url.pathname) && IMAGE_NAME.test(url.pathname);
  } catch {
    return false;
  }
}

function nameOf(address: string): string {
  const base = path.posix.basename(new URL(address).pathname);
  try {
    return decodeURIComponent(base).slice(0, 200) || 'image';
  } catch {
    return base.slice(0, 200) || 'image';
  }
}

function reasonOf(failure: FetchFailure | { reason: UploadRefusal }, limitMb: number, timeoutMs: number): { count: string; detail: string } {
  switch (failure.reason) {
    case 'scheme': return { count: 'not an http(s) address', detail: `not an http(s) address${failure.scheme ? ` (${failure.scheme})` : ''}` };
    case 'address': return { count: 'private or local address refused (--allow-private allows it)', detail: `address ${failure.address} refused (${failure.range})` };
    case 'dns': return { count: 'host name not found', detail: `host name ${failure.host} not found` };
    case 'status': return { count: `HTTP ${failure.status}`, detail: `HTTP ${failure.status}` };
    case 'redirects': return { count: `more than ${MAX_REDIRECTS} redirects`, detail: `more than ${MAX_REDIRECTS} redirects` };
    case 'timeout': return { count: `no answer within ${timeoutMs / 1000} s`, detail: `no answer within ${timeoutMs / 1000} s` };
    case 'network': return { count: 'connection failed', detail: `connection failed (${failure.code})` };
    case 'too-big': return { count: `larger than the upload limit (${limitMb} MB)`, detail: `larger than the upload limit (${limitMb} MB)` };
    case 'empty': return { count: 'empty file', detail: 'empty file' };
    case 'not-an-image': return { count: 'not an image an upload would take', detail: 'not an image an upload would take (JPEG, PNG, GIF, WebP)' };
    case 'too-large-dimensions': return { count: 'image dimensions too large', detail: 'image dimensions too large' };
  }
}

/**
 * `--download-media`: imported attachments still at their old address, and the images posts link on the old blog's
 * uploads, fetched, checked and cleaned as an admin upload is, kept in the media library (their old address kept
 * too), and the posts rewritten to link them here. What fails is counted with its reason and left as it was.
 * Running it again fetches nothing already here.
 */
export async function downloadImportedMedia(deps: DownloadMediaDeps): Promise<DownloadSummary> {
  const { repo, media } = deps;
  const timeoutMs = deps.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const limit = media.limit();
  const hosts = new Set([...repo.sites(), ...(deps.sites ?? [])].map(hostOf).filter(Boolean));
  const summary: DownloadSummary = { downloaded: 0, postsRewritten: 0, failed: {}, failures: [] };
  let unlisted = 0;

  const here = new Map<string, { id: number; fileName: string | null }>();
  for (const row of repo.mediaFromAddresses()) if (!here.get(row.sourceUrl)?.fileName) here.set(row.sourceUrl, row);
  /** Tried and failed in this run: not tried again for the next post that links it. */
  const failedNow = new Set<string>();

  const fetchAndStore = async (address: string): Promise<StoredFile | null> => {
    const fetched = await fetchChecked(address, { allowPrivate: deps.allowPrivate, maxBytes: limit.bytes, timeoutMs, maxRedirects: MAX_REDIRECTS });
    const stored = 'reason' in fetched ? fetched : await media.storeFile(fetched.bytes);
    if (!('refusal' in stored) && !('reason' in stored)) return stored;
    const { count, detail } = reasonOf('refusal' in stored ? { reason: stored.refusal } : stored, limit.mb, timeoutMs);
    summary.failed[count] = (summary.failed[count] ?? 0) + 1;
    if (summary.failures.length < MAX_LISTED) summary.failures.push(`${address}: ${detail}`);
    else unlisted += 1;
    failedNow.add(address);
    return null;
  };

  for (const [address, row] of here) {
    if (row.fileName !== null) continue;
    const stored = await fetchAndStore(address);
    if (!stored) continue;
    // Another run recorded it meanwhile: its file stands, ours goes.
    if (!repo.setFile(row.id, stored)) await media.discardFile(stored.fileName);
    else {
      row.fileName = stored.fileName;
      await media.addSizes(row.id, stored);
      summary.downloaded += 1;
    }
  }

  for (let after = 0; ;) {
    const posts = repo.importedPosts(after, BATCH);
    if (posts.length === 0) break;
    for (const post of posts) {
      after = post.id;
      for (const [address] of post.source.matchAll(ADDRESS)) {
        if (here.has(address) || failedNow.has(address) || !isOldUpload(address, hosts)) continue;
        const stored = await fetchAndStore(address);
        if (!stored) continue;
        const id = repo.add({ ...stored, sourceUrl: address, originalName: nameOf(address), uploadedBy: post.authorId, postId: post.id });
        await media.addSizes(id, stored);
        here.set(address, { id, fileName: stored.fileName });
        summary.downloaded += 1;
      }
      const source = post.source.replace(ADDRESS, (address) => {
        const fileName = here.get(address)?.fileName;
        return fileName ? uploadPath(fileName) : address;
      });
      if (source === post.source) continue;
      if (repo.setBody({ id: post.id, before: post.source, source, ...deps.renderPost(source, post.excerpt) })) summary.postsRewritten += 1;
    }
  }
  if (unlisted > 0) summary.failures.push(`… and ${unlisted} more`);
  return summary;
}

/** The summary as the command line prints it (in English, as the import's). */
export function describeDownloads(summary: DownloadSummary): string {
  const lines = ['Media:', `  ${String(summary.downloaded).padStart(7)} files downloaded into the media library`,
    `  ${String(summary.postsRewritten).padStart(7)} posts and pages now link to them here`];
  const failed = Object.entries(summary.failed);
  if (failed.length > 0) {
    lines.push(`  ${String(failed.reduce((sum, [, n]) => sum + n, 0)).padStart(7)} not downloaded (their old addresses stay):`);
    for (const [why, n] of failed) lines.push(`  ${String(n).padStart(9)} ${why}`);
    lines.push('', 'Not downloaded:', ...summary.failures.map((line) => `  - ${line}`));
  }
  return lines.join('\n');
}
