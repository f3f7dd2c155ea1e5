import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureTarget } from '../../bench/measure.js';
import type { Running } from '../../bench/server.js';

const hasWrk = spawnSync('sh', ['-c', 'command -v wrk && command -v taskset']).status === 0;

/**
 * A server in a process of its own (the benchmark waits for its CPU to go quiet) that counts the connections requests
 * came on (wrk opens one more, which sends none).
 */
const SERVER = `
  const http = require('node:http');
  const used = new WeakSet();
  let connections = 0;
  const server = http.createServer((req, res) => {
    if (!used.has(req.socket)) used.add(req.socket), connections++;
    res.end(req.url === '/connections' ? String(connections) : 'x'.repeat(1000));
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let child: ChildProcess;
let origin = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  child.kill();
});

describe.skipIf(!hasWrk)('a page measured by the benchmark (Debian wrk on 127.0.0.1)', () => {
  it('warms the server up on new connections every second, so no measured run starts with its first connection turnover', async () => {
    const target: Running = { origin, pids: () => [child.pid!], rssMiB: () => 0, stop: async () => {} };
    const page = { name: 'page', path: '/', expectStatus: 200 };
    const noForm = () => Promise.reject(new Error('no comment form here'));
    const [row] = await measureTarget(target, 'test', [page], { warmupSeconds: 3, seconds: 1, repeats: 1, connections: 2 }, noForm);
    expect(row.median.requestsPerSecond).toBeGreaterThan(0);
    const connections = Number(await (await fetch(`${origin}/connections`)).text());
    // The check and the sample: one each; three warm-up runs of 2 connections; the measured run's 2; this request.
    expect(connections).toBe(1 + 3 * 2 + 1 + 2 + 1);
  }, 30_000);
});
