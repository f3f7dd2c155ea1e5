import { Marked } from 'marked';
import markedFootnote from 'marked-footnote';
import sanitizeHtml from 'sanitize-html';
import type { Post } from '../models.js';
import { settleHtml } from './html-fixed-point.js';
import { hasBlocks, moreAt, wpContentToHtml } from './wp-html.js';
import { codeBlockHtml } from './code-highlight.js';
import { excerptOf } from './excerpts.js';
import { FOOTNOTE_PREFIX, footnoteIdOnly, isFootnoteHeading, isFootnoteLink } from './footnotes.js';
import { responsiveImages, type ImageLookup } from './responsive-images.js';

/**
 * Everything a post may contain once rendered: rich text, media and tables; nothing that runs. WordPress posts
 * group lines in divs and sections: without their tags, their lines would run together.
 */
const postAllowList: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp',
    'div', 'section', 'article', 'aside', 'header', 'footer', 'address',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark',
    'sub', 'sup', 'small', 'abbr', 'cite', 'q', 'span', 'a', 'img', 'figure', 'figcaption',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'input',
    'picture', 'source',
  ],
  allowedAttributes: {
    // A footnote's marker and its note link to each other by id (see footnotes.ts).
    a: ['href', 'title', 'id'],
    li: ['id'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'srcset', 'sizes', { name: 'decoding', values: ['async'] }],
    // A <picture>'s source, as responsive-images.ts writes one for an upload's WebP copies: no other type.
    source: [{ name: 'type', values: ['image/webp'] }, 'srcset', 'sizes'],
    abbr: ['title'],
    q: ['cite'],
    blockquote: ['cite'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    code: ['class'],
    span: ['class'],
    // A code block scrolls sideways: focusable, so a keyboard can scroll it (set on every pre by transformTags).
    pre: [{ name: 'tabindex', values: ['0'] }],
    ol: ['start'],
    // GFM task lists render disabled checkboxes; nothing else of a form survives.
    input: ['type', 'checked', 'disabled'],
  },
  // highlight.js's markup: hljs-keyword, its sub-scopes (title function_) and embedded languages (language-css).
  allowedClasses: { code: ['hljs', /^language-[\w-]+$/], span: [/^hljs-[a-z][\w-]*$/, /^[a-z]+_+$/, /^language-[\w-]+$/], section: ['footnotes'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  exclusiveFilter: (frame) => (frame.tag === 'input' && frame.attribs.type !== 'checkbox') || isFootnoteHeading(frame.tag, frame.attribs),
  transformTags: {
    // Lazy unless the renderer chose the first image of a post to load at once (responsive-images.ts).
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: attribs.loading === 'eager' ? 'eager' : 'lazy' } }),
    pre: (tagName, attribs) => ({ tagName, attribs: { ...attribs, tabindex: '0' } }),
    a: footnoteIdOnly,
    li: footnoteIdOnly,
  },
  selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source'],
  allowedScriptHostnames: [],
};

/** The post allow-list applied to HTML. A span keeps its highlighting classes inside code only. */
export function sanitizePostHtml(html: string): string {
  let codeDepth = 0;
  return sanitizeHtml(html, {
    ...postAllowList,
    onOpenTag(name) {
      if (name === 'code') codeDepth++;
    },
    onCloseTag(name) {
      if (name === 'code') codeDepth--;
    },
    transformTags: {
      ...postAllowList.transformTags,
      span: (tagName, { class: classes, ...attribs }) => ({ tagName, attribs: codeDepth > 0 && classes ? { ...attribs, class: classes } : attribs }),
    },
  });
}

const MORE_MARKER = /<!--\s*more\s*-->/i;

export interface RenderedPost {
  bodyHtml: string;
  bodyText: string;
  excerptHtml: string;
  /** The post says more than its excerpt (the author's own, a <!--more-->, or cut or left out): lists offer "Continue reading". */
  saysMore: boolean;
}

// Fenced code is highlighted here, when the post is saved: readers get coloured code without a script. Footnotes
// ([^1] and a `[^1]: note` line) are numbered and listed at the end, linked both ways, as GitHub and Ghost show them.
const marked = new Marked({ gfm: true, breaks: false, async: false, renderer: { code: ({ text, lang }) => codeBlockHtml(text, lang) } })
  .use(markedFootnote({ prefixId: FOOTNOTE_PREFIX }));

/** Sanitized, and settled so a browser's parser reads the tree the sanitizer kept (see settleHtml). */
const postHtml = (html: string) => settleHtml(sanitizePostHtml(html), sanitizePostHtml);

function renderMarkdown(source: string): string {
  return postHtml(marked.parse(source) as string);
}

/** Where a block starts or ends: its text is not run together with what comes before or after (a list item and its code). */
const BLOCK_EDGE = /<\/?(?:p|div|section|article|aside|header|footer|address|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|table|caption|thead|tbody|tfoot|tr|td|th|figure|figcaption|hr|br)\b/gi;

/** Visible text of sanitized HTML, one space between blocks, without footnote numbers (see isFootnoteLink). */
export function htmlToText(html: string): string {
  // The filter sees only tags the pass keeps: a first pass keeping them all drops the footnote links (the next pass
  // keeps no tag, so nothing of this one is ever shown as HTML).
  const prose = html.includes(`href="#${FOOTNOTE_PREFIX}`)
    ? sanitizeHtml(html, {
      allowedTags: false, allowedAttributes: false, allowVulnerableTags: true, exclusiveFilter: (frame) => isFootnoteLink(frame.tag, frame.attribs),
    })
    : html;
  const stripped = sanitizeHtml(prose.replace(BLOCK_EDGE, ' $&'), { allowedTags: [], allowedAttributes: {} });
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
  // Read only as far as the words wanted: a page's description takes 30 words of a body that may hold thousands.
  const words: string[] = [];
  for (const [word] of text.matchAll(/\S+/g)) {
    if (words.length === count) return `${words.join(' ')}…`;
    words.push(word);
  }
  return words.join(' ');
}

export type SourceFormat = Post['sourceFormat'];

/** How a post's source becomes HTML, and where its `<!--more-->` stands in that source (-1: nowhere). */
function reader(source: string, format: SourceFormat) {
  if (format === 'markdown') return { toHtml: renderMarkdown, more: moreIn(source, format) };
  // The part above <!--more--> is formatted as the whole post is: block-editor content or classic.
  const blocks = hasBlocks(source);
  return { toHtml: (part: string) => postHtml(wpContentToHtml(part, blocks)), more: moreIn(source, format) };
}

const moreIn = (source: string, format: SourceFormat) => (format === 'markdown' ? source.search(MORE_MARKER) : moreAt(source));

/**
 * Renders a post once, when it is saved, from its source in its format (Markdown written here, or WordPress's
 * HTML): the sanitized HTML, its plain text, and the excerpt lists show (the author's own, else the part above
 * <!--more-->, else the first 55 words of its prose, block by block).
 */
export function renderPost(source: string, manualExcerpt = '', format: SourceFormat = 'markdown', images?: ImageLookup): RenderedPost {
  const { toHtml, more } = reader(source, format);
  // `images` gives uploads their srcset and size; sanitized again, so the allow-list has the last word.
  const bodyHtml = postHtml(responsiveImages(toHtml(source), images));
  const bodyText = htmlToText(bodyHtml);
  if (manualExcerpt.trim()) return { bodyHtml, bodyText, excerptHtml: postHtml(`<p>${escapeHtml(manualExcerpt.trim())}</p>`), saysMore: true };
  if (more >= 0) return { bodyHtml, bodyText, excerptHtml: toHtml(source.slice(0, more)), saysMore: true };
  // Read from the rendered blocks, each a sentence, without code or images (see excerptOf).
  const excerpt = excerptOf(bodyHtml);
  return { bodyHtml, bodyText, excerptHtml: excerpt.text ? postHtml(`<p>${escapeHtml(excerpt.text)}</p>`) : '', saysMore: excerpt.more };
}
