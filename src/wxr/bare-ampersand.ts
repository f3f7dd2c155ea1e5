/** A reference as XML allows it: `&amp;`, `&#8230;`, `&#x1F600;`. Bounded, so a window of text is enough. */
const REFERENCE = /^&(?:[A-Za-z_:][\w.:-]{0,31}|#\d{1,8}|#x[\da-fA-F]{1,8});/;
const WINDOW = 42;
/** Longest opener looked for: `<![CDATA[`. */
const OPENER = 9;
const CLOSERS = { cdata: ']]>', comment: '-->', pi: '?>' } as const;

/**
 * saxes reads everything after a `&` up to the next `;` as the entity's name, so a bare `&` (a plugin's unescaped
 * URL in a comment's author URL) is reported far from where it stands, or as a file cut short. This finds the first
 * one, outside CDATA sections, comments and processing instructions, at its own line.
 */
export function createBareAmpersandCheck() {
  let state: 'text' | keyof typeof CLOSERS = 'text';
  let carry = '';
  let line = 1;

  /** The line of the first bare `&` in this piece of text, or 0. `final`: no more text comes. */
  return (chunk: string, final: boolean): number => {
    const text = carry + chunk;
    let i = 0;
    let keep = text.length;
    const special = /[<&]/g;
    while (i < text.length) {
      if (state !== 'text') {
        const closer = CLOSERS[state];
        const end = text.indexOf(closer, i);
        if (end < 0) {
          keep = Math.max(i, text.length - closer.length + 1);
          break;
        }
        i = end + closer.length;
        state = 'text';
        continue;
      }
      special.lastIndex = i;
      const at = special.exec(text)?.index;
      if (at === undefined) break;
      if (!final && text.length - at < (text[at] === '<' ? OPENER : WINDOW)) {
        keep = at;
        break;
      }
      if (text[at] === '&') {
        const reference = REFERENCE.exec(text.slice(at, at + WINDOW));
        if (!reference) return line + newlines(text, 0, at);
        i = at + reference[0].length;
      } else if (text.startsWith('<![CDATA[', at)) {
        [state, i] = ['cdata', at + 9];
      } else if (text.startsWith('<!--', at)) {
        [state, i] = ['comment', at + 4];
      } else if (text.startsWith('<?', at)) {
        [state, i] = ['pi', at + 2];
      } else {
        i = at + 1;
      }
    }
    line += newlines(text, 0, keep);
    carry = text.slice(keep);
    return 0;
  };
}

function newlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
