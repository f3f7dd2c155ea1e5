/** The query parameters a page is keyed on: a search (`/?s=`) and a post's comment page (`?cpage=`). */
const KEYED_PARAMS = ['cpage', 's'];

/** Longer paths are not kept: no page of the blog has one, and they would only fill the cache. */
const MAX_KEY_LENGTH = 1000;

/**
 * The cache key of a request, or null when the request must take the normal path: not a GET or HEAD, or a
 * query parameter the page is not keyed on (`replytocom`, tracking parameters…), which the render might read.
 */
export function cacheKeyOf(method: string | undefined, url: string | undefined): string | null {
  if ((method !== 'GET' && method !== 'HEAD') || !url || url[0] !== '/' || url.length > MAX_KEY_LENGTH) return null;
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const path = url.slice(0, mark);
  const params = new URLSearchParams(url.slice(mark + 1));
  const kept: [string, string][] = [];
  for (const pair of params) {
    if (!KEYED_PARAMS.includes(pair[0])) return null;
    kept.push(pair);
  }
  if (kept.length === 0) return path;
  // The order of different parameters does not change the page; the order of one parameter's values may (the
  // first is read), and the sort is stable, so it keeps that.
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${path}?${kept.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')}`;
}
