import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Post } from '../models.js';
import { settleHtml } from './html-fixed-point.js';
import { hasBlocks, moreAt, wpContentToHtml } from './wp-html.js';

/** Everything a post may contain once rendered: rich text, media and tables; nothing that runs. */
const postAllowList: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark',
    'sub', 'sup', 'small', 'abbr', 'cite', 'q', 'span', 'a', 'img', 'figure', 'figcaption',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'input',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    abbr: ['title'],
    q: ['cite'],
    blockquote: ['cite'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    code: ['class'],
    ol: ['start'],
    // GFM task lists render disabled checkboxes; nothing else of a form survives.
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
  },
  allowedScriptHostnames: [],
};

/** The post allow-list applied to HTML. */
export const sanitizePostHtml = (html: string): string => sanitizeHtml(html, postAllowList);

const MORE_MARKER = /<!--\s*more\s*-->/i;
const EXCERPT_WORDS = 55;

export interface RenderedPost {
  bodyHtml: string;
  bodyText: string;
  excerptHtml: string;
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Sanitized, and settled so a browser's parser reads the tree the sanitizer kept (see settleHtml). */
const postHtml = (html: string) => settleHtml(sanitizePostHtml(html), sanitizePostHtml);

function renderMarkdown(source: string): string {
  return postHtml(marked.parse(source) as string);
}

const BLOCK_END = /<\/(p|h[1-6]|li|blockquote|pre|tr|td|th|figcaption|dd|dt)>|<br\s*\/?>/gi;

/** Visible text of sanitized HTML, one space between blocks. */
export function htmlToText(html: string): string {
  const stripped = sanitizeHtml(html.replace(BLOCK_END, '$& '), { allowedTags: [], allowedAttributes: {} });
  return decodeBasicEntities(stripped).replace(/\s+/g, ' ').trim();
}

function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The first `count` words of a text, with an ellipsis when cut. */
export function firstWords(text: string, count: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')}…`;
}

export type SourceFormat = Post['sourceFormat'];

/** How a post's source becomes HTML, and where its `<!--more-->` stands in that source (-1: nowhere). */
function reader(source: string, format: SourceFormat) {
  if (format === 'markdown') return { toHtml: renderMarkdown, more: source.search(MORE_MARKER) };
  // The part above <!--more--> is formatted as the whole post is: block-editor content or classic.
  const blocks = hasBlocks(source);
  return { toHtml: (part: string) => postHtml(wpContentToHtml(part, blocks)), more: moreAt(source) };
}

/**
 * Renders a post once, when it is saved, from its source in its format (Markdown written here, or WordPress's
 * HTML): the sanitized HTML, its plain text, and the excerpt lists show (the author's own, else the part above
 * <!--more-->, else the first 55 words).
 */
export function renderPost(source: string, manualExcerpt = '', format: SourceFormat = 'markdown'): RenderedPost {
  const { toHtml, more } = reader(source, format);
  const bodyHtml = toHtml(source);
  const bodyText = htmlToText(bodyHtml);
  let excerptHtml: string;
  if (manualExcerpt.trim()) excerptHtml = postHtml(`<p>${escapeHtml(manualExcerpt.trim())}</p>`);
  else if (more >= 0) excerptHtml = toHtml(source.slice(0, more));
  else excerptHtml = postHtml(`<p>${escapeHtml(firstWords(bodyText, EXCERPT_WORDS))}</p>`);
  return { bodyHtml, bodyText, excerptHtml };
}
