/**
 * `npm run bench [-- --large] [-- --through-nginx] [-- --quick]`: builds, generates a benchmark blog, and measures
 * its pages with wrk (CPU 1) against the production server (CPU 0), with the page cache on and off, next to a bare
 * node:http reference sending the same bytes, the three measured in turn page by page. Prints a Markdown table and
 * writes the figures to bench/results/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { generateBlog, LARGE_BLOG, SMALL_BLOG } from './generate.js';
import { comparePage, FULL, QUICK, measureTarget } from './measure.js';
import { measureThroughNginx } from './nginx.js';
import { commentForm, pagesFor, POST_PAGE, REQUEST_HEADERS, sitemapPages } from './pages.js';
import type { RecordedResponse } from './reference-server.js';
import { startBlog, startReference, timeToFirstPage } from './server.js';
import { formatTable, median, withRatios, type Row } from './table.js';

const SERVER_CPU = 0;
const ONE_CLIENT = 'cache off, 1 connection';
const LATENCY_TARGETS = ['search', 'sitemap index', 'one sitemap file'];
const { values: flags } = parseArgs({ options: { large: { type: 'boolean' }, quick: { type: 'boolean' }, 'through-nginx': { type: 'boolean' } } });
const settings = flags.quick ? QUICK : FULL;

function requireTools() {
  const missing = ['taskset', 'wrk', ...(flags['through-nginx'] ? ['nginx'] : [])].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: apt-get install -y ${missing.map((t) => (t === 'taskset' ? 'util-linux' : t)).join(' ')}`);
  if (os.cpus().length < 2) throw new Error('the benchmark needs two CPUs: the server on CPU 0, wrk on CPU 1');
}

requireTools();
// This process (and its helpers) stays off the server's CPU.
spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0) process.exit(1);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-bench-'));
// On 'exit', so an error or Ctrl-C (server.ts turns it into process.exit) does not leave the copies behind either.
process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const blogDir = (name: string) => path.join(tmp, name);

/** A generated blog in its own folder, copied for each server so no run sees another's comments. */
function generate(name: string, size: typeof SMALL_BLOG) {
  const began = performance.now();
  fs.mkdirSync(blogDir(name));
  generateBlog(path.join(blogDir(name), 'blog.db'), size);
  console.log(`generated the ${name} blog (${size.posts} posts, ${size.comments} comments) in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return (copy: string) => {
    fs.cpSync(blogDir(name), blogDir(copy), { recursive: true });
    // Written to disk now: the kernel keeps written pages for 30 s and then flushes them all at once, which for
    // the large blog's gigabyte fell in the first page's runs and stretched their slowest answers.
    spawnSync('sync');
    return blogDir(copy);
  };
}

const blogName = flags.large ? 'large' : 'small';
const copyOf = generate(blogName, flags.large ? LARGE_BLOG : SMALL_BLOG);
const rows: Row[] = [];
const recorded: RecordedResponse[] = [];
const responsesFile = path.join(tmp, 'responses.json');

console.log('page cache on, every cache off, and the reference (bare node:http, the cache-on bytes from memory): the runs of each page in turn');
const cached = await startBlog(copyOf('cache-on'), { cpu: SERVER_CPU, pageCache: true });
const uncached = await startBlog(copyOf('cache-off'), { cpu: SERVER_CPU, pageCache: false });
// The large blog's latency targets (search, sitemaps) again with one client: under 50 connections an uncached
// page's p99 is mostly the queue of requests ahead of it, not its own time.
const oneClientRows: Row[] = [];
try {
  const pages = pagesFor(Boolean(flags.large));
  // The comment POST stays last: the comments it adds must not change the pages measured before it.
  if (flags.large) pages.splice(-1, 0, ...await sitemapPages(cached.origin));
  const blogs = [{ variant: 'cache on', target: cached }, { variant: 'cache off', target: uncached }];
  // A reference per page, answering the pages recorded so far (the post page, first, is how it says it is ready).
  const reference = {
    variant: 'reference',
    start: (response: RecordedResponse) => {
      recorded.push(response);
      fs.writeFileSync(responsesFile, JSON.stringify(recorded));
      return startReference(responsesFile, POST_PAGE, { cpu: SERVER_CPU });
    },
  };
  for (const page of pages) rows.push(...await comparePage(page, settings, blogs, reference));
  const latencyPages = pages.filter((page) => LATENCY_TARGETS.includes(page.name));
  if (flags.large) oneClientRows.push(...await measureTarget(uncached, ONE_CLIENT, latencyPages, { ...settings, connections: 1 }, () => commentForm(uncached.origin, `${Date.now()}`)));
} finally {
  await cached.stop();
  await uncached.stop();
}

const nginxRows = flags['through-nginx'] ? await measureThroughNginx(copyOf('nginx'), settings, { cpu: SERVER_CPU }) : [];

const smallCopy = flags.large ? generate('small', SMALL_BLOG) : copyOf;
const startupRuns: number[] = [];
for (let i = 0; i < settings.repeats; i++) startupRuns.push(await timeToFirstPage(smallCopy(`startup-${i}`), { cpu: SERVER_CPU }));
const startupMs = median(startupRuns);

const order = [...new Set(rows.map((r) => r.page))];
const variants = ['cache on', 'cache off', 'reference'];
const sorted = withRatios(rows, 'reference').sort((a, b) => order.indexOf(a.page) - order.indexOf(b.page) || variants.indexOf(a.variant) - variants.indexOf(b.variant));
const all = [...sorted, ...oneClientRows, ...withRatios(nginxRows, 'nginx static file')];

console.log(`\n${blogName} blog, ${settings.connections} connections, ${settings.seconds} s runs, median of ${settings.repeats}${flags.quick ? ' (QUICK: a smoke test, not a measurement)' : ''}\n`);
console.log(formatTable(all));
console.log(`\nnpm start to the first 200 (small blog, already built): ${Math.round(startupMs)} ms`);
const failed = all.filter((r) => r.runs.some((run) => run.errors > 0));
if (failed.length > 0) console.warn(`\nWRONG ANSWERS (the figures for these do not count): ${failed.map((r) => `${r.page}, ${r.variant}`).join('; ')}`);

const resultsDir = path.join(projectRoot, 'bench/results');
const file = path.join(resultsDir, `${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}-${blogName}${flags['through-nginx'] ? '-nginx' : ''}${flags.quick ? '-quick' : ''}.json`);
fs.writeFileSync(file, `${JSON.stringify({
  date: new Date().toISOString(),
  blog: flags.large ? LARGE_BLOG : SMALL_BLOG,
  quick: Boolean(flags.quick),
  settings,
  requestHeaders: REQUEST_HEADERS,
  machine: { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, wrk: spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0] },
  startupMs: { median: startupMs, runs: startupRuns },
  rows: all,
}, null, 2)}\n`);
console.log(`written to ${path.relative(projectRoot, file)}`);
