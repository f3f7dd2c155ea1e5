import type sanitizeHtml from 'sanitize-html';

/**
 * Markdown footnotes as marked-footnote writes them (markdown.ts): a number in the text, `<sup><a id="fn-ref-1"
 * href="#fn-1">1</a></sup>`, and the notes at the end, `<section class="footnotes">` with `<li id="fn-1">` each and
 * a ↩ link back.
 */
export const FOOTNOTE_PREFIX = 'fn-';

/**
 * The ids a post may give its elements: a footnote's (`fn-1`) and its marker's (`fn-ref-1`), which no id of the
 * page's own begins like, so a post cannot take the id of the comment form or anything else the page links to.
 */
const FOOTNOTE_ID = /^fn-[\w%.!~*'()-]{1,120}$/;

/** A sanitizer transform keeping an element's id only if it is a footnote's. */
export const footnoteIdOnly = (tagName: string, { id, ...attribs }: sanitizeHtml.Attributes) =>
  ({ tagName, attribs: id !== undefined && FOOTNOTE_ID.test(id) ? { ...attribs, id } : attribs });

/** A footnote's number in the text, or the ↩ back to it: links within the post, not words of it. */
export const isFootnoteLink = (tag: string, attribs: Record<string, string>) => tag === 'a' && (attribs.href ?? '').startsWith(`#${FOOTNOTE_PREFIX}`);

/** The notes at the end of a post. */
export const isFootnoteList = (tag: string, attribs: Record<string, string>) => tag === 'section' && attribs.class === 'footnotes';

/** The notes' heading, in English whatever the blog's language and only for screen readers: the list is enough. */
export const isFootnoteHeading = (tag: string, attribs: Record<string, string>) => tag === 'h2' && attribs.id === `${FOOTNOTE_PREFIX}label`;
