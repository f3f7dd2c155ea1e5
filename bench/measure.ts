import { waitUntilIdle } from './idle.js';
import { COMMENT_HEADERS, commentForm, record, REQUEST_HEADERS, sample, waitUntil, type CommentForm, type Page } from './pages.js';
import type { RawResponse } from './raw-http.js';
import type { RecordedResponse } from './reference-server.js';
import type { Running } from './server.js';
import { medianRun, type Row, type RunResult } from './table.js';
import { runWrk, type FormBody } from './wrk.js';

export interface Settings {
  warmupSeconds: number;
  seconds: number;
  repeats: number;
  connections: number;
}

export const FULL: Settings = { warmupSeconds: 3, seconds: 10, repeats: 3, connections: 50 };
export const QUICK: Settings = { warmupSeconds: 1, seconds: 1, repeats: 1, connections: 50 };

/** wrk runs on CPU 1, servers on CPU 0. */
const LOAD_CPU = 1;

/** A server under test and its name in the table. */
export interface Contender {
  variant: string;
  target: Running;
}

/** One contender ready for a page: the form it posts (comment POST only) and the bytes it sends after its warm-up. */
interface Prepared extends Contender {
  form?: FormBody;
  response: RawResponse;
}

/**
 * The measured runs in the order they are made: run 1 of every contender, then run 2 of every one, and so on. The
 * machine's speed drifts by 10 to 20% within minutes, so runs of the blog and of the reference made minutes apart
 * compared the drift as much as the servers; made in turn, a page's runs share it.
 */
export function interleave<T>(contenders: T[], repeats: number): { contender: T; run: number }[] {
  return Array.from({ length: repeats }, (_, i) => contenders.map((contender) => ({ contender, run: i + 1 }))).flat();
}

/** Waits until every server sharing the measured CPU is idle, so work left from one run is not billed to the next. */
async function settle(servers: Running[]) {
  if (!(await waitUntilIdle(servers.flatMap((s) => s.pids())))) console.warn(`  (the servers never went idle; measuring anyway)`);
}

const wrk = (target: Running, page: Page, s: Settings, seconds: number, form: FormBody | undefined, label: string) => runWrk({
  url: `${target.origin}${page.path}`,
  headers: form ? { ...REQUEST_HEADERS, ...COMMENT_HEADERS } : REQUEST_HEADERS,
  seconds,
  connections: s.connections,
  cpu: LOAD_CPU,
  expectStatus: page.expectStatus,
  form: form && { ...form, uniquePrefix: `${form.uniquePrefix}${label}-` },
});

/**
 * The page's status checked, a warm-up, then the bytes the server now sends (a cache may answer uncompressed until
 * its compressed copies are made: the warm-up gets past that).
 */
async function prepare(contender: Contender, page: Page, s: Settings, form: FormBody | undefined, servers: Running[]): Promise<Prepared> {
  await sample(contender.target.origin, page, form, 'check');
  await settle(servers);
  await wrk(contender.target, page, s, s.warmupSeconds, form, 'warm-up');
  await settle(servers);
  return { ...contender, form, response: await sample(contender.target.origin, page, form) };
}

/** The contenders' runs, interleaved; a row each. */
async function measureRuns(prepared: Prepared[], page: Page, s: Settings, servers: Running[]): Promise<Row[]> {
  const runs = new Map<Prepared, RunResult[]>(prepared.map((p) => [p, []]));
  for (const { contender, run } of interleave(prepared, s.repeats)) {
    await settle(servers);
    let rss = contender.target.rssMiB();
    const sampler = setInterval(() => (rss = Math.max(rss, contender.target.rssMiB())), 250);
    try {
      runs.get(contender)!.push({ ...(await wrk(contender.target, page, s, s.seconds, contender.form, `run ${run}`)), rssMiB: rss });
    } finally {
      clearInterval(sampler);
    }
  }
  return prepared.map((p) => {
    const row = { page: page.name, variant: p.variant, bytes: p.response.body.length, median: medianRun(runs.get(p)!), runs: runs.get(p)! };
    console.log(`  ${page.name}, ${p.variant}: ${Math.round(row.median.requestsPerSecond)} req/s, p99 ${row.median.p99Ms.toFixed(2)} ms`);
    return row;
  });
}

/** A fresh comment form from each blog (each keeps its own comments), once their time stamps are old enough to post. */
async function formsFor(page: Page, blogs: Contender[]): Promise<(FormBody | undefined)[]> {
  if (!page.comment) return blogs.map(() => undefined);
  const forms = await Promise.all(blogs.map((blog) => commentForm(blog.target.origin, `${blog.variant} ${Date.now()}`)));
  await waitUntil(Math.max(...forms.map((f) => f.readyAt)));
  return forms.map((f) => f.form);
}

/**
 * One page against every blog and against the reference (`startReference`, given the first blog's bytes; it posts
 * that blog's form and ignores it), their runs interleaved. Every server stays up on the measured CPU meanwhile.
 */
export async function comparePage(page: Page, s: Settings, blogs: Contender[], reference: { variant: string; start: (recorded: RecordedResponse) => Promise<Running> }): Promise<Row[]> {
  const forms = await formsFor(page, blogs);
  const servers = blogs.map((b) => b.target);
  const prepared: Prepared[] = [];
  for (const [i, blog] of blogs.entries()) prepared.push(await prepare(blog, page, s, forms[i], servers));
  const replay = await reference.start(record(page, prepared[0].response));
  try {
    const all = [...servers, replay];
    prepared.splice(1, 0, await prepare({ variant: reference.variant, target: replay }, page, s, forms[0], all));
    return await measureRuns(prepared, page, s, all);
  } finally {
    await replay.stop();
  }
}

/**
 * Every page against one server alone. `commentFormFor` gives the comment form to post (a fresh one from the blog,
 * with its time stamp); `onSample` receives each page's bytes as measured.
 */
export async function measureTarget(target: Running, variant: string, pages: Page[], s: Settings, commentFormFor: () => Promise<CommentForm>, onSample: (page: Page, response: RawResponse) => void = () => {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const page of pages) {
    const comment = page.comment ? await commentFormFor() : undefined;
    if (comment) await waitUntil(comment.readyAt);
    const prepared = await prepare({ variant, target }, page, s, comment?.form, [target]);
    onSample(page, prepared.response);
    rows.push(...await measureRuns([prepared], page, s, [target]));
  }
  return rows;
}
