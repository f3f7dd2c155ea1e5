import { DomUtils, parseDocument } from 'htmlparser2';

/** WordPress's comment allow-list as the tests state it, independently of src/. */
export const COMMENT_TAGS = ['a', 'abbr', 'acronym', 'b', 'blockquote', 'cite', 'code', 'del', 'em', 'i', 'q', 's', 'strike', 'strong', 'p', 'br'];
export const COMMENT_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  abbr: ['title'],
  acronym: ['title'],
  blockquote: ['cite'],
  del: ['datetime'],
  q: ['cite'],
};

export const scheme = (value: string) => value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

/** A link the allow-list permits: http, https or mailto, or relative (but not protocol-relative). */
export const safeLink = (value: string) => {
  const v = scheme(value);
  return /^[a-z][a-z0-9+.-]*:/.test(v) ? /^(https?|mailto):/.test(v) : !/^[\\/][\\/]/.test(v);
};
export const parse = (html: string) => parseDocument(html, { withStartIndices: true, withEndIndices: true });

/**
 * Stored comment HTML must be sanitize-html's canonical output of the allow-list: every raw `<` opens or
 * closes an allow-listed tag with quoted, allow-listed attributes; no handlers; href/cite http(s) or mailto.
 */
export function canonicalTagProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('raw <script');
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    const end = html.indexOf('>', i);
    const tag = end === -1 ? html.slice(i) : html.slice(i, end + 1);
    const close = /^<\/([a-z]+)>$/.exec(tag);
    if (close) {
      if (!COMMENT_TAGS.includes(close[1])) problems.push(`end tag outside the allow-list: ${tag}`);
      continue;
    }
    const open = /^<([a-z]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>$/.exec(tag);
    if (!open) {
      problems.push(`raw "<" that is not a canonical allow-listed tag: ${JSON.stringify(tag.slice(0, 80))}`);
      continue;
    }
    const [, name, attrText] = open;
    if (!COMMENT_TAGS.includes(name)) {
      problems.push(`tag outside the allow-list: <${name}>`);
      continue;
    }
    // Let a real parser decode the attribute values (entities) for the scheme check.
    const [el] = DomUtils.getElementsByTagName(name, parse(`<${name}${attrText}>`).children, true, 1);
    for (const [attr, value] of Object.entries(el?.attribs ?? {})) {
      if (!(COMMENT_ATTRIBUTES[name] ?? []).includes(attr)) problems.push(`attribute outside the allow-list: ${attr} on <${name}>`);
      if ((attr === 'href' || attr === 'cite') && !safeLink(value)) problems.push(`${attr}="${value}" on <${name}>`);
      if (name === 'a' && attr === 'rel' && value !== 'nofollow ugc') problems.push(`rel="${value}" on <a>`);
    }
    // Names only: a quoted value may itself read like a handler (cite=" onclick=") and is inert.
    for (const [, attr] of attrText.matchAll(/\s+([a-z-]+)="[^"<>]*"/g)) {
      if (/^on/.test(attr)) problems.push(`${attr}= handler in ${tag}`);
    }
  }
  return problems;
}
