import zlib from 'node:zlib';
import { MIN_SECONDS_TO_COMMENT } from '../src/services/comment-rules.js';
import { formFields } from '../test/support/comments.js';
import { ARCHIVE_CATEGORY } from './generate.js';
import { rawRequest, type RawResponse } from './raw-http.js';
import type { RecordedResponse } from './reference-server.js';
import type { FormBody } from './wrk.js';

export interface Page {
  name: string;
  path: string;
  expectStatus: number;
  /** A guest comment posted through the post page's form, a new one each request. */
  comment?: boolean;
}

/**
 * What every benchmark request sends besides Host: a browser's Accept-Encoding, so pages come compressed as
 * readers get them. The blog's bytes are fetched with the same headers, and the reference replays those bytes.
 */
export const REQUEST_HEADERS: Record<string, string> = { 'Accept-Encoding': 'gzip, deflate, br' };

export const POST_PAGE = '/2016/05/12/trend-life-style-menjadi-pasangan-imers/';
/** What a browser's same-origin form post sends besides the body. */
export const COMMENT_HEADERS = { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/x-www-form-urlencoded' };

/** The pages of one run; the measured category holds all 10 generated posts of the small blog and about 5,000 of the large one's. */
export function pagesFor(large: boolean): Page[] {
  return [
    { name: 'post page', path: POST_PAGE, expectStatus: 200 },
    { name: 'home page', path: '/', expectStatus: 200 },
    { name: 'home page 2', path: '/page/2/', expectStatus: 200 },
    { name: 'category archive', path: `/category/${ARCHIVE_CATEGORY}/`, expectStatus: 200 },
    ...(large ? [{ name: 'archive page 5,000', path: '/page/5000/', expectStatus: 200 }] : []),
    { name: 'RSS feed', path: '/feed/', expectStatus: 200 },
    { name: 'search', path: '/?s=internet+marketing', expectStatus: 200 },
    { name: '404', path: '/no-such-page-for-the-benchmark/', expectStatus: 404 },
    { name: 'comment POST', path: '/comments/', expectStatus: 303, comment: true },
  ];
}

/**
 * The sitemap index and the first file it lists (large blog). An unsplit sitemap of 100,000 posts is left out with
 * a warning: with 50 connections asking for it the server would stay busy long after the run and spoil the next.
 */
export async function sitemapPages(origin: string): Promise<Page[]> {
  const index = (await rawRequest(`${origin}/sitemap.xml`)).body.toString();
  const loc = /<sitemapindex[\s>]/.test(index) ? /<loc>([^<]+)<\/loc>/.exec(index)?.[1] : undefined;
  if (!loc) {
    console.warn(`  /sitemap.xml is not a sitemap index (${Math.round(index.length / 1000)} kB): the sitemaps are not measured`);
    return [];
  }
  return [
    { name: 'sitemap index', path: '/sitemap.xml', expectStatus: 200 },
    { name: 'one sitemap file', path: new URL(loc).pathname, expectStatus: 200 },
  ];
}

export interface CommentForm {
  form: FormBody;
  /** The form's time stamp is old enough from this moment (a faster answer reads as a bot's). */
  readyAt: number;
}

/** The post page's comment form as a guest fills it in; the comment text is made unique per request by wrk. */
export async function commentForm(origin: string, runId: string): Promise<CommentForm> {
  const page = await rawRequest(`${origin}${POST_PAGE}`);
  if (page.status !== 200) throw new Error(`${POST_PAGE} answered ${page.status}`);
  return {
    form: {
      fields: { ...formFields(page.body.toString()), hp: '', author: 'Pembaca Benchmark', email: 'pembaca@example.org', url: '' },
      uniqueField: 'comment',
      uniquePrefix: `Tulisan yang bagus, terima kasih (${runId} #`,
    },
    readyAt: Date.now() + MIN_SECONDS_TO_COMMENT * 1000 + 200,
  };
}

export const commentBody = (form: FormBody, n: number | string) =>
  new URLSearchParams({ ...form.fields, [form.uniqueField]: `${form.uniquePrefix}${n}` }).toString();

export const waitUntil = (time: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));

/** A response's text, decompressed, for error messages. */
function decoded(response: RawResponse): string {
  const encoding = response.headers['content-encoding'];
  const body = encoding === 'br' ? zlib.brotliDecompressSync(response.body) : encoding === 'gzip' ? zlib.gunzipSync(response.body) : response.body;
  return body.toString();
}

/** One request for a page with the benchmark's headers: what wrk will get, byte for byte. `label` tells comments apart. */
export async function sample(origin: string, page: Page, form?: FormBody, label = 'sample'): Promise<RawResponse> {
  const response = page.comment && form
    ? await rawRequest(`${origin}${page.path}`, { method: 'POST', headers: { ...REQUEST_HEADERS, ...COMMENT_HEADERS }, body: commentBody(form, label) })
    : await rawRequest(`${origin}${page.path}`, { headers: REQUEST_HEADERS });
  if (response.status !== page.expectStatus) {
    throw new Error(`${page.name} (${page.path}) answered ${response.status}, expected ${page.expectStatus}:\n${decoded(response).slice(0, 500)}`);
  }
  return response;
}

/** Headers node:http writes itself on every response, which the reference must not send twice. */
const WRITTEN_BY_NODE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export function record(page: Page, response: RawResponse): RecordedResponse {
  const rawHeaders: string[] = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    if (!WRITTEN_BY_NODE.has(response.rawHeaders[i].toLowerCase())) rawHeaders.push(response.rawHeaders[i], response.rawHeaders[i + 1]);
  }
  return { method: page.comment ? 'POST' : 'GET', path: page.path, status: response.status, rawHeaders, bodyBase64: response.body.toString('base64') };
}
