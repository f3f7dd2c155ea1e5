import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(() => {
  t = makeTestApp();
});
afterAll(() => t.close());

const PAGES = ['/', SEED_PATH, '/admin/login/', '/admin/', '/feed/', '/no-such-page/'];
const NAMES = ['blog.sid', 'comment_author', 'comment_pending', 'other'];

describe('cookies a visitor writes', () => {
  it.each(['blog.sid=j:{}', 'blog.sid=j:1', 'blog.sid=j:[]', 'blog.sid=s:j:{}.x', 'comment_author=j:{"name":{"a":1}}', 'comment_pending=j:[1,2]', 'comment_pending=s:j:[1].sig'])(
    '%s is treated as absent: every page answers as for a new visitor',
    async (cookie) => {
      for (const page of PAGES) {
        const res = await request(t.app).get(page).set('Cookie', cookie);
        expect(res.status, page).toBeLessThan(500);
      }
      const post = await request(t.app).get(SEED_PATH).set('Cookie', cookie).expect(200);
      expect(post.text).toContain('Leave a Reply');
    },
  );

  it('no cookie header of any shape makes a page answer 500', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('j:', 's:', 's:j:', '%', '%E0%A4%A', '"', 'j:{"a":', 'j:null', 'j:"x"').chain((prefix) => fc.string({ maxLength: 20 }).map((rest) => prefix + rest)),
    );
    const pair = fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string({ minLength: 1, maxLength: 10 })), value);
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.constantFrom(...PAGES), async (pairs, page) => {
        // Header values cannot carry control characters or non-Latin-1 text; the HTTP client refuses them.
        const header = pairs.map(([n, v]) => `${n}=${v}`).join('; ').replace(/[^\x20-\x7e]/g, '');
        const res = await request(t.app).get(page).set('Cookie', header);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
