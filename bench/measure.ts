import { waitUntilIdle } from './idle.js';
import { COMMENT_HEADERS, REQUEST_HEADERS, sample, waitUntil, type CommentForm, type Page } from './pages.js';
import type { RawResponse } from './raw-http.js';
import type { Running } from './server.js';
import { medianRun, type Row, type RunResult } from './table.js';
import { runWrk } from './wrk.js';

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

async function settle(target: Running) {
  if (!(await waitUntilIdle(target.pids()))) console.warn(`  (the server at ${target.origin} never went idle; measuring anyway)`);
}

/**
 * One page against one server: its status checked, a warm-up, the bytes it now sends (a cache may answer
 * uncompressed until its compressed copies are made: the warm-up gets past that), then `repeats` measured runs,
 * each after the server has gone idle.
 */
async function measurePage(target: Running, variant: string, page: Page, s: Settings, comment: CommentForm | undefined, onSample: OnSample): Promise<Row> {
  const wrk = (seconds: number, run: string) => runWrk({
    url: `${target.origin}${page.path}`,
    headers: comment ? { ...REQUEST_HEADERS, ...COMMENT_HEADERS } : REQUEST_HEADERS,
    seconds,
    connections: s.connections,
    cpu: LOAD_CPU,
    expectStatus: page.expectStatus,
    form: comment && { ...comment.form, uniquePrefix: `${comment.form.uniquePrefix}${run}-` },
  });
  await sample(target.origin, page, comment?.form, 'check');
  await settle(target);
  await wrk(s.warmupSeconds, 'warm-up');
  await settle(target);
  const response = await sample(target.origin, page, comment?.form);
  onSample(page, response);
  const runs: RunResult[] = [];
  for (let i = 1; i <= s.repeats; i++) {
    await settle(target);
    let rss = target.rssMiB();
    const sampler = setInterval(() => (rss = Math.max(rss, target.rssMiB())), 250);
    try {
      runs.push({ ...(await wrk(s.seconds, `run ${i}`)), rssMiB: rss });
    } finally {
      clearInterval(sampler);
    }
  }
  return { page: page.name, variant, bytes: response.body.length, median: medianRun(runs), runs };
}

type OnSample = (page: Page, response: RawResponse) => void;

/**
 * Every page against one server. `commentFormFor` gives the comment form to post (a fresh one from the blog, with
 * its time stamp); `onSample` receives each page's bytes as measured, for the reference.
 */
export async function measureTarget(target: Running, variant: string, pages: Page[], s: Settings, commentFormFor: () => Promise<CommentForm>, onSample: OnSample = () => {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const page of pages) {
    const comment = page.comment ? await commentFormFor() : undefined;
    if (comment) await waitUntil(comment.readyAt);
    const row = await measurePage(target, variant, page, s, comment, onSample);
    console.log(`  ${page.name}, ${variant}: ${Math.round(row.median.requestsPerSecond)} req/s, p99 ${row.median.p99Ms.toFixed(2)} ms`);
    rows.push(row);
  }
  return rows;
}
