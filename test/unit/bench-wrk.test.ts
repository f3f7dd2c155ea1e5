import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentBody, record, type Page } from '../../bench/pages.js';
import { runWrk, type FormBody } from '../../bench/wrk.js';

const hasWrk = spawnSync('sh', ['-c', 'command -v wrk && command -v taskset']).status === 0;

/** A server that answers /ok with 200 (5,000 bytes), /missing with 404, /broken with 500, and keeps every POST body. */
let server: http.Server;
let origin = '';
const posted: { contentType?: string; site?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST') posted.push({ contentType: req.headers['content-type'], site: req.headers['sec-fetch-site'] as string, body });
      const status = req.url === '/missing' ? 404 : req.url === '/broken' ? 500 : req.method === 'POST' ? 303 : 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(req.url === '/ok' ? 'x'.repeat(5000) : 'x');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const base = { headers: { 'Accept-Encoding': 'gzip, deflate, br' }, seconds: 1, connections: 2, cpu: 1 };

describe.skipIf(!hasWrk)('wrk runs (Debian wrk on 127.0.0.1)', () => {
  it('posts a different, complete form each request, as a browser would', async () => {
    const form: FormBody = { fields: { post_id: '1', form_token: '1700000000000.abc-_', hp: '', author: 'Pembaca', email: 'p@example.org' }, uniqueField: 'comment', uniquePrefix: 'Bagus (run 1 #' };
    const result = await runWrk({ ...base, url: `${origin}/comments/`, expectStatus: 303, form, headers: { ...base.headers, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(result.errors).toBe(0);
    expect(posted.length).toBeGreaterThan(10);
    const bodies = posted.map((p) => new URLSearchParams(p.body));
    expect(new Set(bodies.map((b) => b.get('comment'))).size).toBe(posted.length);
    for (const b of bodies) {
      expect(Object.fromEntries([...b].filter(([k]) => k !== 'comment'))).toEqual(form.fields);
      expect(b.get('comment')).toMatch(/^Bagus \(run 1 #\d+$/);
    }
    expect(posted.every((p) => p.contentType === 'application/x-www-form-urlencoded' && p.site === 'same-origin')).toBe(true);
    // The sample request the benchmark checks first sends the same form shape.
    expect(new URLSearchParams(commentBody(form, 0)).get('comment')).toBe('Bagus (run 1 #0');
  });

  it('counts a 404 as right for the 404 page, and a 500 as an error anywhere', async () => {
    const missing = await runWrk({ ...base, url: `${origin}/missing`, expectStatus: 404 });
    expect(missing.requestsPerSecond).toBeGreaterThan(0);
    expect(missing.errors).toBe(0);
    const broken = await runWrk({ ...base, url: `${origin}/broken`, expectStatus: 200 });
    expect(broken.errors).toBeGreaterThan(0);
    const ok = await runWrk({ ...base, url: `${origin}/ok`, expectStatus: 404 });
    expect(ok.errors).toBeGreaterThan(0);
    expect(ok.p99Ms).toBeGreaterThanOrEqual(ok.p50Ms);
    // The body and a few headers.
    expect(ok.responseBytes).toBeGreaterThan(5000);
    expect(ok.responseBytes).toBeLessThan(5300);
  });
});

describe('what the reference replays', () => {
  it('keeps the blog\'s status, headers and exact body bytes, leaving out those node:http writes itself', () => {
    const page: Page = { name: 'post page', path: '/a/', expectStatus: 200 };
    const body = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    const recorded = record(page, {
      status: 200,
      headers: {},
      rawHeaders: ['Content-Type', 'text/html; charset=utf-8', 'Date', 'Mon, 01 Jun 2026 10:00:00 GMT', 'Content-Encoding', 'gzip', 'Content-Length', '5', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=65', 'ETag', '"abc"'],
      body,
    });
    expect(recorded).toEqual({
      method: 'GET', path: '/a/', status: 200,
      rawHeaders: ['Content-Type', 'text/html; charset=utf-8', 'Content-Encoding', 'gzip', 'ETag', '"abc"'],
      bodyBase64: body.toString('base64'),
    });
    expect(record({ ...page, comment: true }, { status: 303, headers: {}, rawHeaders: [], body: Buffer.alloc(0) }).method).toBe('POST');
  });
});
