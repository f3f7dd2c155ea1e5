import { tokenize, type Token } from './html-tokens.js';
import { autopTokens, escapeBareAmpersands } from './wp-autop.js';

/**
 * A WordPress post's content (post_content, as an export holds it) made into HTML as WordPress shows it, ready for
 * the post allow-list: block-editor comments gone, `[caption]` made a figure, and classic-editor content given
 * WordPress's paragraphs. Other shortcodes ([gallery], [embed]…) stay as the text they are: nothing here runs them.
 */

/** The block editor marks every block with a comment; WordPress formats the paragraphs of content without them only. */
export const hasBlocks = (content: string) => content.includes('<!-- wp:');

/** WordPress's `<!--more-->` (with or without its own link text: `<!--more Read on-->`). */
const isMore = (token: Token) => token.kind === 'comment' && token.body.trimStart().startsWith('more');

/**
 * Where the excerpt ends: the offset of the first `<!--more-->` outside <pre> and the like, or -1. In a block post
 * it sits inside a `wp:more` block, whose own comments are dropped with the rest.
 */
export function moreAt(content: string): number {
  let offset = 0;
  for (const token of tokenize(content)) {
    if (isMore(token)) return offset;
    offset += token.kind === 'text' ? token.text.length : token.raw.length;
  }
  return -1;
}

const CAPTION_OPEN = '[caption';
const CAPTION_CLOSE = '[/caption]';
/** The caption given as an attribute (`[caption caption="…"]`), as older WordPress wrote it. */
const CAPTION_ATTRIBUTE = /\bcaption="([^"]*)"/;

/** `<img>` (in its link, if any) and the caption text after it, as WordPress's img_caption_shortcode reads them. */
function captionFigure(attributes: string, content: string): string {
  const tokens = tokenize(content);
  const img = tokens.findIndex((t) => t.kind === 'tag' && t.name === 'img' && !t.closing);
  if (img < 0) return content;
  // A link around the image stays with it: its closing tag may follow after some space.
  const gap = tokens[img + 1]?.kind === 'text' && !(tokens[img + 1] as { text: string }).text.trim() ? 1 : 0;
  const after = tokens[img + 1 + gap];
  const end = after?.kind === 'tag' && after.name === 'a' && after.closing ? img + 2 + gap : img + 1;
  const raw = (list: Token[]) => list.map((t) => (t.kind === 'text' ? t.text : t.raw)).join('');
  const caption = CAPTION_ATTRIBUTE.exec(attributes)?.[1] ?? raw(tokens.slice(end)).trim();
  const media = raw(tokens.slice(0, end)).trim();
  return caption ? `<figure>${media}<figcaption>${caption}</figcaption></figure>` : media;
}

/** Every `[caption …]<img>text[/caption]` as a figure with its figcaption; one pass, stopping when none can close. */
export function expandCaptions(content: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = content.indexOf(CAPTION_OPEN, from);
    if (open < 0) break;
    const after = content.charAt(open + CAPTION_OPEN.length);
    if (after !== ' ' && after !== ']') {
      out += content.slice(from, open + 1);
      from = open + 1;
      continue;
    }
    const bracket = content.indexOf(']', open);
    const close = bracket < 0 ? -1 : content.indexOf(CAPTION_CLOSE, bracket);
    if (close < 0) break;
    out += content.slice(from, open) + captionFigure(content.slice(open + CAPTION_OPEN.length, bracket), content.slice(bracket + 1, close));
    from = close + CAPTION_CLOSE.length;
  }
  return out + content.slice(from);
}

/**
 * HTML as WordPress would show a post's content (not yet sanitized). `blocks` says whether the whole post is
 * block-editor content, so that its part before `<!--more-->` is formatted as the whole is.
 */
export function wpContentToHtml(content: string, blocks = hasBlocks(content)): string {
  // Comments show nothing; dropping them all (block marks, <!--more-->, <!--nextpage-->) before the paragraphs
  // are made leaves no empty paragraph where one stood alone.
  const tokens = tokenize(expandCaptions(content.replace(/\r\n?/g, '\n')))
    .filter((token) => token.kind !== 'comment')
    .map(escapeBareAmpersands);
  return blocks ? tokens.map((t) => (t.kind === 'text' ? t.text : t.raw)).join('').trim() : autopTokens(tokens);
}
