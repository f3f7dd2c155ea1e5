import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from './table.js';

/** A form posted once per request, one field made unique each time (a comment the blog must not refuse as a duplicate). */
export interface FormBody {
  fields: Record<string, string>;
  uniqueField: string;
  /** The unique field's text before its counter; different for every wrk run, so runs never repeat each other. */
  uniquePrefix: string;
}

export interface WrkOptions {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  /** The CPU wrk is pinned to. */
  cpu: number;
  /** What every response should answer; anything else counts as an error. */
  expectStatus: number;
  form?: FormBody;
}

// wrk calls done() once at the end: its figures as one JSON line, so nothing is scraped from the human report.
const REPORT_LUA = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p99Us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
`;

/** A Lua string literal; the form is URL-encoded, so it holds neither quotes nor backslashes. */
const luaString = (s: string) => {
  if (!/^[\x20-\x7e]*$/.test(s) || /["\\]/.test(s)) throw new Error(`not a safe Lua literal: ${s}`);
  return `"${s}"`;
};

/** The Lua script: the report, and for a form a request() that numbers each body. */
function wrkScript(form?: FormBody): string {
  if (!form) return REPORT_LUA;
  const fixed = new URLSearchParams(form.fields).toString();
  const prefix = `${fixed ? `${fixed}&` : ''}${encodeURIComponent(form.uniqueField)}=${encodeURIComponent(form.uniquePrefix)}`;
  return `${REPORT_LUA}
wrk.method = "POST"
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, ${luaString(prefix)} .. counter)
end
`;
}

interface WrkReport {
  requests: number;
  durationUs: number;
  bytes: number;
  p50Us: number;
  p99Us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

/** The run's figures from wrk's output; wrk counts every status of 400 and above as an error, wanted 404s too. */
function parseWrkOutput(stdout: string, expectStatus: number): Omit<RunResult, 'rssMiB'> {
  const line = /^WRK_RESULT (\{.*\})$/m.exec(stdout)?.[1];
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const r = JSON.parse(line) as WrkReport;
  const wrongStatus = expectStatus >= 400 ? r.requests - r.status : r.status;
  return {
    requestsPerSecond: r.requests / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    responseBytes: r.requests > 0 ? r.bytes / r.requests : 0,
    errors: r.connect + r.read + r.write + r.timeout + wrongStatus,
  };
}

/** One wrk run pinned to a CPU: one thread, `connections` keep-alive connections, latency percentiles. */
export async function runWrk(o: WrkOptions): Promise<Omit<RunResult, 'rssMiB'>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wrk-'));
  try {
    const script = path.join(dir, 'script.lua');
    fs.writeFileSync(script, wrkScript(o.form));
    const headers = Object.entries(o.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    // wrk leaves answers slower than its timeout (2 s by default) out of the latencies: 10 s keeps slow pages' p99 honest.
    const args = ['-c', String(o.cpu), 'wrk', '-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '10s', '--latency', ...headers, '-s', script, o.url];
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
    if (code !== 0) throw new Error(`taskset ${args.join(' ')} exited with ${code}:\n${out}`);
    return parseWrkOutput(out, o.expectStatus);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
