import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { trickledPost } from '../support/slow-request.js';

interface Started {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  output: () => string;
}

/** `src/main.ts` in its own node process on a temp database, as `npm run dev` runs it; resolves once it listens. */
function startBlog(dir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/main.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, DATABASE_PATH: path.join(dir, 'blog.db'), PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /Blog running at http:\/\/[^:/]+:(\d+)\//.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port), exited, output: () => out });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => reject(new Error(`the blog stopped before listening:\n${out}`)));
  });
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

describe('SIGTERM to the running blog (src/main.ts)', () => {
  let dir: string;
  let blog: Started | undefined;

  afterEach(() => {
    if (blog && blog.child.exitCode === null && blog.child.signalCode === null) blog.child.kill('SIGKILL');
    blog = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the request in flight, refuses new connections, checkpoints the WAL and exits 0 promptly', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-sigterm-'));
    blog = await startBlog(dir);
    const health = await fetch(`http://127.0.0.1:${blog.port}/healthz`);
    expect(health.status).toBe(200);
    // The first start wrote the schema and the seed post: they sit in the write-ahead log until a checkpoint.
    expect(fs.statSync(path.join(dir, 'blog.db-wal')).size).toBeGreaterThan(0);

    const slow = trickledPost(blog.port, '/comments/', 2000, { keepAlive: true });
    await slow.started;
    blog.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(await refused(blog.port)).toBe('ECONNREFUSED');

    const answer = await slow.response;
    expect(answer.body).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(answer.body).toContain('</html>');
    const answeredAt = Date.now();

    const exit = await blog.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Start-up and shutdown lines come through the same logger as the access log: one JSON line each.
    const lines = blog.output().trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.find((l) => l.msg.startsWith('Blog running at http://127.0.0.1:'))?.level).toBe(30);
    expect(lines.some((l) => l.msg === 'SIGTERM: finishing requests in flight, then stopping')).toBe(true);
    // The kept-alive socket is closed as soon as it is idle, not after the 65 s keep-alive timeout.
    expect(exit.at - answeredAt).toBeLessThan(2000);
    const wal = path.join(dir, 'blog.db-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  });
});
