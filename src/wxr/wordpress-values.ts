import path from 'node:path';
import { decodeHTML } from 'entities';
import { DateTime } from 'luxon';
import type { PostStatus } from '../models.js';
import type { ImportedComment } from '../repositories/wxr-import.js';
import { readableSlug, wordpressSlugFrom } from '../services/slugs.js';

/** WordPress's post statuses as ours: what it keeps private or pending is a draft here. */
export const POST_STATUS: Record<string, PostStatus> = { publish: 'published', future: 'scheduled', draft: 'draft', pending: 'draft', 'auto-draft': 'draft', private: 'draft', trash: 'trash' };
/** WordPress's comment_approved values as our comment statuses. */
export const COMMENT_STATUS: Record<string, ImportedComment['status']> = { 1: 'approved', 0: 'pending', spam: 'spam', trash: 'trash', 'post-trashed': 'trash' };

const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.avif': 'image/avif', '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4',
};

/** An attachment's type, from its file name (the file itself is not downloaded yet). */
export const mimeOf = (fileName: string) => MIME_BY_EXTENSION[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';

/** Text WordPress stored HTML-escaped once more (titles, names): decoded once, kept as plain text. */
export const text = (raw: string) => decodeHTML(raw).trim();

const ZERO_DATE = /^0000-00-00/;

/** A WordPress date (`YYYY-MM-DD HH:MM:SS`) as ISO 8601 UTC: the UTC field, else the local one in the blog's zone. */
export function isoDate(gmt: string, local: string, timeZone: string): string | null {
  const valid = (d: string) => d !== '' && !ZERO_DATE.test(d);
  if (valid(gmt)) {
    const parsed = DateTime.fromFormat(gmt, 'yyyy-MM-dd HH:mm:ss', { zone: 'UTC' });
    if (parsed.isValid) return parsed.toUTC().toISO();
  }
  if (valid(local)) {
    const parsed = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone: timeZone });
    if (parsed.isValid) return parsed.toUTC().toISO();
  }
  return null;
}

/** A WordPress slug as one of ours. */
export const slugOf = (raw: string) => wordpressSlugFrom(readableSlug(raw));

/** A category's or tag's WordPress slug as one of ours, or its name's when the slug gives none. */
export const termSlugOf = (raw: string, name = '') => slugOf(raw) || wordpressSlugFrom(name);

/** The path of an absolute or relative link, or null. */
export function pathOf(link: string): string | null {
  try {
    const url = new URL(link, 'http://old.invalid');
    return url.search === '' ? decodeURI(url.pathname) : null;
  } catch {
    return null;
  }
}
