import { sanitizeCommentHtml, sanitizeCommentText, settleCommentHtml } from '../services/comment-html.js';
import { renderPost, type RenderedPost } from '../services/markdown.js';
import type { ImageLookup } from '../services/responsive-images.js';
import { wpAutopComment } from '../services/wp-autop.js';

/**
 * A WordPress post body (block-editor or classic HTML) rendered as a post written here in HTML would be; `images`
 * sizes the images that are uploads here (after --download-media).
 */
export const importedPost = (html: string, excerpt: string, images?: ImageLookup): RenderedPost => renderPost(html, excerpt, 'html', images);

/**
 * A WordPress comment (plain text with inline HTML): the comment allow-list first (WordPress stored it filtered,
 * then made paragraphs when showing it), paragraphs as WordPress makes them, the allow-list again so they nest.
 */
export const importedComment = (text: string): string =>
  settleCommentHtml(sanitizeCommentHtml(wpAutopComment(sanitizeCommentText(text))));
