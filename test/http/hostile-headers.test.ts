import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(() => {
  // Behind a trusted proxy, so the forwarded headers are read, not ignored.
  t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
});
afterAll(() => t.close());

const HEADERS = ['Range', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Range', 'Accept', 'Accept-Encoding', 'Accept-Language',
  'X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'Origin', 'Sec-Fetch-Site', 'Referer', 'Content-Type'];
const PATHS = ['/', SEED_PATH, '/css/site.css', '/feed/', '/admin/login/', '/?s=a', '/no-such-page/'];

describe('request headers a visitor writes', () => {
  it('never make a page answer 500, however they are filled', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('bytes=0-0,-1', 'bytes=999999999999999999999-', 'bytes=-', '*', 'W/""', 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date',
        '1.1.1.1, unknown, ::ffff:1.1.1.1', '[::1]:80', 'https, http', 'null', 'text/html;q=abc', 'multipart/form-data; boundary='),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...HEADERS), value), { minLength: 1, maxLength: 5 }), fc.constantFrom(...PATHS), fc.boolean(),
        async (headers, path, post) => {
          let req = post ? request(t.app).post(path) : request(t.app).get(path);
          // Header values cannot carry control characters; the HTTP client refuses those itself.
          for (const [name, v] of headers) req = req.set(name, v.replace(/[^\x20-\x7e]/g, ''));
          const res = await (post ? req.send('a=b') : req);
          expect(res.status).toBeLessThan(500);
        }),
      { numRuns: 300 },
    );
  });
});
