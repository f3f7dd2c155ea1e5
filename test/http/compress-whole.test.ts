import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import compression from 'compression';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressWholeBodies } from '../../src/http/compress-whole.js';

const page = `<!doctype html><title>Halaman</title>${'<p>Tulisan yang cukup panjang untuk dikompresi.</p>'.repeat(100)}`;
let server: http.Server;

beforeAll(async () => {
  const app = express();
  app.use(compression());
  app.use(compressWholeBodies());
  app.get('/page', (_req, res) => void res.type('html').send(page));
  app.get('/small', (_req, res) => void res.type('html').send('<p>kecil</p>'));
  app.get('/image', (_req, res) => void res.type('png').send(Buffer.alloc(4096, 7)));
  app.get('/no-transform', (_req, res) => void res.set('Cache-Control', 'public, no-transform').type('html').send(page));
  app.get('/large', (_req, res) => void res.type('html').send(page.repeat(80)));
  app.get('/streamed', (_req, res) => {
    res.type('html');
    res.write(page);
    setImmediate(() => res.end(page));
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function get(path: string, acceptEncoding?: string, method = 'GET') {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http.request({ host: '127.0.0.1', port, path, method, headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

describe('a body the app sends whole', () => {
  it('goes out compressed in one piece, with its length, in the best coding the client takes', async () => {
    const br = await get('/page', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['transfer-encoding']).toBeUndefined();
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(page.length / 10);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(page);
    expect(br.headers.vary).toBe('Accept-Encoding');

    const gzip = await get('/page', 'gzip, br;q=0');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
    expect(zlib.gunzipSync(gzip.body).toString()).toBe(page);

    const plain = await get('/page');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
    expect(plain.headers.vary).toBe('Accept-Encoding');
  });

  it('is sent as it is when small, not text, marked no-transform, or asked for with HEAD', async () => {
    for (const path of ['/small', '/image', '/no-transform']) {
      const res = await get(path, 'gzip, deflate, br');
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(Number(res.headers['content-length']), path).toBe(res.body.length);
    }
    const head = await get('/page', 'br', 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it('leaves a body written in pieces, or too large to compress in one turn, to the compression middleware, which streams it', async () => {
    const res = await get('/streamed', 'gzip, deflate, br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(zlib.brotliDecompressSync(res.body).toString()).toBe(page + page);
    const large = await get('/large', 'gzip, deflate, br');
    expect(large.headers['content-encoding']).toBe('br');
    expect(large.headers['transfer-encoding']).toBe('chunked');
    expect(zlib.brotliDecompressSync(large.body).toString()).toBe(page.repeat(80));
  });
});
