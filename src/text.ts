/**
 * `text` without the run of `char` at its end. A loop, not `/x+$/`: a backtracking regex engine retries that
 * pattern from every run of `char`, which is quadratic on input such as "----a" repeated.
 */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** A remote or provider's text as one plain line: control characters and runs of space made one space, cut to `max`. */
export const plainText = (value: unknown, max: number) =>
  typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max) : '';
