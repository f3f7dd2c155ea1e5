import sanitizeHtml from 'sanitize-html';
import { settleHtml } from './html-fixed-point.js';

const flattenAttributes = (attribs: sanitizeHtml.Attributes) =>
  Object.fromEntries(Object.entries(attribs).map(([name, value]) => [name, value.replace(/\s+/g, ' ')]));

/** The tags WordPress lets a comment keep. */
export const COMMENT_TAGS = ['a', 'abbr', 'acronym', 'b', 'blockquote', 'cite', 'code', 'del', 'em', 'i', 'q', 's', 'strike', 'strong'];

/** WordPress's comment allow-list: inline markup and quotes, links that cannot run anything. */
const commentAllowList: sanitizeHtml.IOptions = {
  allowedTags: COMMENT_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    acronym: ['title'],
    blockquote: ['cite'],
    del: ['datetime'],
    q: ['cite'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: false,
  // Thousands of nested tags are an attack on the reader's browser, not markup.
  nestingLimit: 20,
  // Attribute values lose their line breaks, so making paragraphs below never reaches inside a tag.
  transformTags: {
    '*': (tagName, attribs) => ({ tagName, attribs: flattenAttributes(attribs) }),
    a: (tagName, attribs) => {
      const { href, ...rest } = flattenAttributes(attribs);
      // Only absolute http(s) and mailto links: a comment has no business linking relative to the blog.
      const kept: sanitizeHtml.Attributes = href && /^(https?:\/\/|mailto:)/i.test(href.trim()) ? { href } : {};
      return { tagName, attribs: { ...kept, ...rest, rel: 'nofollow ugc' } };
    },
  },
};

const withParagraphs: sanitizeHtml.IOptions = {
  ...commentAllowList,
  allowedTags: [...(commentAllowList.allowedTags as string[]), 'p', 'br'],
};

/**
 * The comment allow-list alone (no paragraphs), entities left as typed: what a comment's text may hold before it
 * is made paragraphs (the paragraph step reads `&copy2020` as text, not as ©).
 */
export const sanitizeCommentText = (text: string): string => sanitizeHtml(text, { ...commentAllowList, parser: { decodeEntities: false } });

/** The comment allow-list, paragraphs and line breaks included, applied to stored comment HTML. */
export const sanitizeCommentHtml = (html: string): string => sanitizeHtml(html, withParagraphs);

/** A paragraph with nothing in it, which tag soup leaves (a quote inside a paragraph made two): only space on a page. */
const EMPTY_PARAGRAPH = /<p><\/p>\n?/g;

/** Comment HTML settled (see settleHtml) and without empty paragraphs: what is stored, from the form, an import or a re-render. */
export const settleCommentHtml = (html: string): string => settleHtml(html, sanitizeCommentHtml).replace(EMPTY_PARAGRAPH, '');

/** Characters that begin markup or an entity, or that parsers drop: text without them has nothing to sanitize. */
const MARKUP = /[<>&\0]/;

/** Where a quote's tag starts (the one block a comment may hold), in text the allow-list has made well-formed. */
const QUOTE_TAG_START = /<\/?blockquote\b/gi;
const IS_QUOTE_TAG = /^<\/?blockquote\b[^>]*>$/i;

/**
 * A blank line before and after each quote tag. The tag ends at the next `>`, found with indexOf: `[^>]*>` in the
 * search pattern would read again, from each `<blockquote`, the rest of a text of unclosed tags (quadratic).
 */
function quoteTagsApart(text: string): string {
  let out = '';
  let at = 0;
  for (const start of text.matchAll(QUOTE_TAG_START)) {
    if (start.index < at) continue;
    const end = text.indexOf('>', start.index);
    if (end < 0) break;
    out += `${text.slice(at, start.index)}\n\n${text.slice(start.index, end + 1)}\n\n`;
    at = end + 1;
  }
  return out + text.slice(at);
}

/**
 * Blank lines made paragraphs and single newlines line breaks. A quote is a block, as in WordPress: its tags stand
 * apart from the paragraphs before, inside and after it (a paragraph around one would leave a browser two empty ones).
 */
const asParagraphs = (text: string) =>
  quoteTagsApart(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (IS_QUOTE_TAG.test(p) ? p : `<p>${p.replace(/\n/g, '<br />\n')}</p>`))
    .join('\n');

/**
 * The HTML stored for a comment's text: the allow-list applied, blank lines made paragraphs and single
 * newlines line breaks, then the allow-list applied once more so the added tags nest correctly, and settled
 * so a browser's parser reads the tree the sanitizer kept (see settleHtml). Most comments are plain text, which
 * neither changes: their paragraphs are already what a browser reads (test/unit/html-fixed-point.test.ts checks
 * this for any such text), so they skip the sanitizer altogether. sanitize-html defines a class per call, which
 * leaves V8 garbage only a full collection frees: its one pass in the settling cost a third of a comment's POST.
 */
export function sanitizeComment(text: string): string {
  const typed = text.replace(/\r\n?/g, '\n');
  if (!MARKUP.test(typed)) return asParagraphs(typed.trim());
  return settleCommentHtml(sanitizeCommentHtml(asParagraphs(sanitizeHtml(typed, commentAllowList).trim())));
}
