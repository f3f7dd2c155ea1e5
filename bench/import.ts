/**
 * `npm run bench:import [-- --quick]`: builds, writes a WordPress export of 20,000 posts and 200,000 comments
 * (bench/generate-wxr.ts; `--quick`: 1,000 posts, a smoke test), and imports it with the built command line
 * (`node dist/src/cli/import.js`) as a child process into a fresh database, twice: the second run must import
 * nothing. Prints the file's size, each run's time, items/s and the child's peak resident memory, and writes the
 * figures to bench/results/<time>[-quick]-import.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';
import { KINDS, type Kind } from '../src/wxr/import-summary.js';
import { FULL_EXPORT, QUICK_EXPORT, writeBenchExport } from './generate-wxr.js';
import { cpuTicks } from './idle.js';

/** The target for the importer's peak resident memory: 200 MB. */
const TARGET_BYTES = 200_000_000;
const SAMPLE_MS = 50;
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' } } });
const size = flags.quick ? QUICK_EXPORT : FULL_EXPORT;

/** The kernel's high-water mark of a process's resident memory (VmHWM), in KiB: a peak between samples still counts. */
function peakKiB(pid: number): number | undefined {
  try {
    const kB = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kB === undefined ? undefined : Number(kB);
  } catch {
    return undefined; // Ended meanwhile.
  }
}

interface Counts {
  imported: Record<Kind, number>;
  skipped: Record<Kind, number>;
}

/** The counts the command line's summary prints (src/wxr/summary-text.ts): `  posts   19980 imported, 20 skipped`. */
function countsOf(summary: string): Counts {
  const counts: Counts = { imported: {} as Record<Kind, number>, skipped: {} as Record<Kind, number> };
  for (const kind of KINDS) {
    const line = summary.split('\n').find((l) => l.trimStart().startsWith(`${kind} `) && l.includes(' imported'));
    if (!line) throw new Error(`the summary has no line for ${kind}:\n${summary}`);
    const [imported, skipped = '0'] = line.match(/\d+/g) ?? [];
    counts.imported[kind] = Number(imported);
    counts.skipped[kind] = Number(skipped);
  }
  return counts;
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakRssKiB: number;
  counts: Counts;
  summary: string;
}

/** The Node flags `npm run import` runs the command with (package.json), so the benchmark measures what users run. */
const IMPORT_NODE_FLAGS = (() => {
  const script = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.import;
  const flags = /\bnode ((?:--[\w-]+=\S+ )*)dist\/src\/cli\/import\.js/.exec(script);
  if (!flags) throw new Error(`package.json's import script does not run dist/src/cli/import.js: ${script}`);
  return flags[1].split(' ').filter(Boolean);
})();

/** Runs the built import command on `file` against `databasePath`, sampling its memory and CPU time every 50 ms. */
async function runImport(file: string, databasePath: string, cwd: string): Promise<Run> {
  const began = performance.now();
  // cwd is the temp folder, so a .env in the project cannot point the import at another database.
  const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, path.join(projectRoot, 'dist/src/cli/import.js'), file], {
    cwd, env: { ...process.env, DATABASE_PATH: databasePath, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let peak = 0;
  let ticks = 0;
  const sample = () => {
    peak = Math.max(peak, peakKiB(child.pid!) ?? 0);
    try {
      ticks = cpuTicks(child.pid!);
    } catch {
      // Ended meanwhile: the last sample stands.
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - began) / 1000;
  if (code !== 0) throw new Error(`the import ended with code ${code}:\n${stderr}`);
  return { seconds, cpuSeconds: ticks / TICKS_PER_SECOND, peakRssKiB: peak, counts: countsOf(stdout), summary: stdout };
}

const number = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Figures are cut, never rounded up: a peak of 199.97 MB must not read as 200.0. */
const cut = (n: number, digits: number) => Math.floor(n * 10 ** digits) / 10 ** digits;
const mib = (kib: number) => cut(kib / 1024, 1);
const mb = (kib: number) => cut((kib * 1024) / 1e6, 1);
const total = (counts: Record<Kind, number>) => KINDS.reduce((sum, kind) => sum + counts[kind], 0);

if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0) process.exit(1);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const loadBefore = os.loadavg();
const file = path.join(tmp, 'wordpress.xml');
const generating = performance.now();
const holds = writeBenchExport(file, size);
const fileBytes = fs.statSync(file).size;
const items = holds.posts + holds.pages + holds.attachments;
console.log(`export: ${number(holds.posts)} posts, ${holds.pages} pages, ${number(holds.attachments)} attachments, ${number(holds.comments)} comments, ` +
  `${holds.categories} categories, ${holds.tags} tags, ${holds.authors} authors: ${number(fileBytes / 1e6, 1)} MB (written in ${number((performance.now() - generating) / 1000, 1)} s)`);

const databasePath = path.join(tmp, 'data', 'blog.db');
const describe = (name: string, run: Run) => {
  console.log(`${name}: ${number(run.seconds, 1)} s (CPU ${number(run.cpuSeconds, 1)} s), ${number(items / run.seconds)} items/s, ` +
    `${number(holds.comments / run.seconds)} comments/s; peak RSS ${mib(run.peakRssKiB)} MiB (${mb(run.peakRssKiB)} MB)`);
  for (const kind of KINDS) console.log(`  ${kind.padEnd(12)} ${number(run.counts.imported[kind]).padStart(7)} imported, ${number(run.counts.skipped[kind])} skipped`);
};

const first = await runImport(file, databasePath, tmp);
describe('import', first);
const databaseBytes = ['', '-wal'].reduce((sum, suffix) => sum + (fs.statSync(`${databasePath}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0);
console.log(`  database: ${number(databaseBytes / 1e6, 1)} MB`);
const second = await runImport(file, databasePath, tmp);
describe('re-import', second);
const reimported = total(second.counts.imported);
console.log(reimported === 0 ? '  nothing imported the second time' : `  WRONG: the second run imported ${reimported} more`);

const peak = Math.max(first.peakRssKiB, second.peakRssKiB);
const met = peak * 1024 < TARGET_BYTES;
const loadAfter = os.loadavg();
console.log(`\npeak RSS ${mib(peak)} MiB (${mb(peak)} MB) against the target of 200 MB: ${met ? 'met' : 'MISSED'}`);
console.log(`load average (1 min) before ${loadBefore[0].toFixed(2)}, after ${loadAfter[0].toFixed(2)} on ${os.cpus().length} CPUs${flags.quick ? ' (QUICK: a smoke test, not a measurement)' : ''}`);

const resultsDir = path.join(projectRoot, 'bench/results');
const results = path.join(resultsDir, `${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}${flags.quick ? '-quick' : ''}-import.json`);
const figures = (run: Run) => ({
  seconds: run.seconds, cpuSeconds: run.cpuSeconds, itemsPerSecond: items / run.seconds, commentsPerSecond: holds.comments / run.seconds,
  peakRssKiB: run.peakRssKiB, peakRssMiB: mib(run.peakRssKiB), peakRssMB: mb(run.peakRssKiB), ...run.counts, summary: run.summary,
});
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(results, `${JSON.stringify({
  date: new Date().toISOString(),
  quick: Boolean(flags.quick),
  machine: { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, memoryMB: Math.floor(os.totalmem() / 1e6), node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
  export: { ...holds, items, bytes: fileBytes },
  sampling: { everyMs: SAMPLE_MS, source: '/proc/<pid>/status VmHWM' },
  import: figures(first),
  databaseBytes,
  reimport: figures(second),
  targetBytes: TARGET_BYTES,
  targetMet: met,
}, null, 2)}\n`);
console.log(`written to ${path.relative(projectRoot, results)}`);
