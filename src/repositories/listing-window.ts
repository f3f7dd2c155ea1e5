// Where a page of a listing lies, read off listing_months (migration 0009): the months it spans, so its query seeks
// the listing index within them instead of stepping over every newer post.

/** Which published posts a list shows: all of them (the home page), or an archive's. */
export type ListingFilter =
  | { kind: 'all' }
  | { kind: 'term'; termId: number }
  /** A category with its descendants: a post filed under two of them is listed once. */
  | { kind: 'terms'; termIds: number[] }
  | { kind: 'author'; authorId: number }
  | { kind: 'range'; from: string; to: string };

/** The listing_months key of a filter (see migration 0009); a date range is counted off the index instead. */
export const listingKey = (filter: ListingFilter): string | null =>
  filter.kind === 'all' ? 'all' : filter.kind === 'author' ? `author:${filter.authorId}` : filter.kind === 'term' ? `term:${filter.termId}` : null;

/** The month after a 'YYYY-MM' key, as a key: every instant of the month sorts below it as a string. */
const monthAfter = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${String(year).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * Where a page of a listing lies, from its monthly counts (newest first): the months it spans, and how many of
 * the posts in them, newest first, come before it. OFFSET then steps over at most one month of posts.
 */
export function monthWindow(months: Iterable<{ month: string; n: number }>, limit: number, offset: number) {
  let skipped = 0; // posts in the months newer than the page's first month
  let seen = 0; // posts from the page's first month to the current one
  let first: string | undefined;
  let last: string | undefined;
  // Read lazily: page 1 needs only the newest month or two of a list that may span decades.
  for (const { month, n } of months) {
    if (first === undefined && skipped + n <= offset) {
      skipped += n;
      continue;
    }
    first ??= month;
    last = month;
    seen += n;
    if (skipped + seen >= offset + limit) break;
  }
  if (first === undefined || last === undefined) return null;
  return { from: last, to: monthAfter(first), skip: offset - skipped };
}
