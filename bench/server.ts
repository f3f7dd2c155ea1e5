import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { rssMiB } from './idle.js';
import { rawRequest } from './raw-http.js';

export interface Running {
  origin: string;
  /** The process and its children (nginx's workers), for the idle wait and memory. */
  pids: () => number[];
  rssMiB: () => number;
  stop: () => Promise<void>;
}

/** Process groups still running: killed if the benchmark ends early (an error, Ctrl-C), so no server lingers. */
const started = new Set<number>();
// Ctrl-C ends the benchmark through process.exit, so the 'exit' handler below runs (a signal's death skips it).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
process.once('exit', () => {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Direct children of a process, from /proc. */
function childrenOf(parent: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent ? [Number(name)] : [];
    } catch {
      return []; // Ended meanwhile.
    }
  });
}

export interface StartOptions {
  cpu: number;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  origin: string;
  /** Polled until it answers 200. */
  readyPath: string;
  /** Where the process's stderr goes (its stdout, the access log, is dropped as a journal would take it away). */
  errorLog: string;
  /** Keep stdout in errorLog too (for a short-lived process whose messages say why it failed). */
  keepStdout?: boolean;
}

/** Starts a server pinned to one CPU (`taskset` execs it, so the pid is the server's) and waits until it answers. */
export async function startPinned(o: StartOptions): Promise<Running> {
  const err = fs.openSync(o.errorLog, 'a');
  const child = spawn('taskset', ['-c', String(o.cpu), o.command, ...o.args], {
    cwd: o.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...o.env },
    stdio: ['ignore', o.keepStdout ? err : 'ignore', err],
    // Its own process group, so stopping it stops what it started too (npm's child, nginx's workers).
    detached: true,
  });
  fs.closeSync(err);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => {
    exitCode = code;
    resolve();
  }));
  const pid = child.pid!;
  // Read once: nginx's workers are there once it answers, and scanning /proc at every sample would cost CPU 1.
  let tree: number[] | undefined;
  const pids = () => (tree ??= [pid, ...childrenOf(pid)]);
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  started.add(pid);
  const stop = async () => {
    if (exitCode === undefined) signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    started.delete(pid);
  };
  for (let i = 0; i < 3000; i++) {
    if (exitCode !== undefined) break;
    const status = await rawRequest(`${o.origin}${o.readyPath}`).then((r) => r.status, () => 0);
    if (status === 200) return { origin: o.origin, pids, rssMiB: () => pids().reduce((sum, p) => sum + rssMiB(p), 0), stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stop();
  throw new Error(`${o.command} ${o.args.join(' ')} did not answer ${o.readyPath}:\n${fs.readFileSync(o.errorLog, 'utf8')}`);
}

/** What `npm start` runs: its environment assignments (MALLOC_ARENA_MAX) and node's arguments (heap settings, dist/src/main.js). */
export function startCommand(): { env: Record<string, string>; args: string[] } {
  const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = packageJson.scripts.start.split(' ');
  const command = words.findIndex((word) => !/^[A-Z_]+=/.test(word));
  if (words[command] !== 'node') throw new Error(`npm start runs ${words[command]}, not node`);
  const env = Object.fromEntries(words.slice(0, command).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  return { env, args: words.slice(command + 1) };
}

/** The built blog as `npm start` runs it (startCommand), on its own copy of the benchmark database. */
export async function startBlog(dataDir: string, { cpu, pageCache, env = {} }: { cpu: number; pageCache: boolean; env?: Record<string, string> }): Promise<Running> {
  const port = await freePort();
  const start = startCommand();
  return startPinned({
    cpu,
    command: process.execPath,
    args: start.args,
    cwd: projectRoot,
    env: {
      ...start.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: path.join(dataDir, 'blog.db'),
      PAGE_CACHE: pageCache ? 'on' : 'off',
      BENCHMARK_UNLIMITED_COMMENTS: 'true',
      ...env,
    },
    origin: `http://127.0.0.1:${port}`,
    readyPath: '/healthz',
    errorLog: path.join(dataDir, 'stderr.log'),
  });
}

/** The reference server replaying recorded responses (see reference-server.ts). */
export async function startReference(responsesFile: string, readyPath: string, { cpu }: { cpu: number }): Promise<Running> {
  const port = await freePort();
  return startPinned({
    cpu,
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/reference-server.ts', String(port), responsesFile],
    cwd: projectRoot,
    env: {},
    origin: `http://127.0.0.1:${port}`,
    readyPath,
    errorLog: `${responsesFile}.stderr.log`,
  });
}

/** Milliseconds from `npm start` (already built) to the first 200 for the home page, on a copy of the small blog. */
export async function timeToFirstPage(dataDir: string, { cpu }: { cpu: number }): Promise<number> {
  // Built now, so the clock does not include a rebuild for a source file changed since the benchmark began.
  if (spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0) throw new Error('the build failed');
  const port = await freePort();
  const begin = performance.now();
  const blog = await startPinned({
    cpu,
    command: 'npm',
    args: ['start', '--silent'],
    cwd: projectRoot,
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: path.join(dataDir, 'blog.db') },
    origin: `http://127.0.0.1:${port}`,
    readyPath: '/',
    errorLog: path.join(dataDir, 'output.log'),
    keepStdout: true,
  });
  const elapsed = performance.now() - begin;
  await blog.stop();
  return elapsed;
}
