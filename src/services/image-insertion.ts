import type { Post } from '../models.js';
import { escapeHtml } from './markdown.js';
import type { MediaItem } from './media.js';

/** What puts an uploaded image into a post's source: its Markdown line, or an `<img>` for a post kept as HTML. */
export const insertionFor = (item: Pick<MediaItem, 'markdown' | 'url' | 'originalName'>, format: Post['sourceFormat']): string =>
  format === 'html'
    ? `<img src="${escapeHtml(item.url)}" alt="${escapeHtml(item.originalName.replace(/\.[^.]*$/, ''))}">`
    : item.markdown;

/** The source with an image added as a paragraph of its own at the end. */
export function appendImage(source: string, insertion: string): string {
  const text = source.trimEnd();
  return text ? `${text}\n\n${insertion}` : insertion;
}
