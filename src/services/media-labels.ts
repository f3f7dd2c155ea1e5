/** How an upload is named and described in the media library. */
import type { Message } from '../i18n/index.js';

export const MEGABYTE = 1024 * 1024;

/** The uploader's own name for the list: no folders (some browsers send them), no control characters. */
export function cleanOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 200) || 'image';
}

/** `![name](/uploads/file)`, the name without its extension and with the characters that would end the alt text escaped. */
export const markdownFor = (originalName: string, url: string) =>
  `![${originalName.replace(/\.[^.]*$/, '').replace(/[\\[\]]/g, '\\$&')}](${url})`;

/** An upload's size as the library lists it, in the site's language. */
export function sizeLabel(bytes: number): Message {
  if (bytes < 1024) return { key: 'admin.media.size.bytes', params: { count: bytes } };
  if (bytes < MEGABYTE) return { key: 'admin.media.size.kb', params: { size: Math.round(bytes / 1024) } };
  // A number, not a string, so the translator writes it the language's way ("2.9 MB", "2,9 MB").
  return { key: 'admin.media.size.mb', params: { size: Math.round((bytes / MEGABYTE) * 10) / 10 } };
}
