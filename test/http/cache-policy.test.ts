import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

const PRIVATE = 'private, no-store';

describe('Cache-Control', () => {
  it('lets a shared cache keep the anonymous post page briefly, per encoding, and never for a visitor with cookies', async () => {
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=60');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers.vary).toMatch(/Cookie/);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(Date.parse(res.headers['last-modified'])).not.toBeNaN();
  });

  it('marks the page private when it pre-fills a remembered email', async () => {
    const agent = request.agent(t.app);
    await submitComment(t, clock, { remember: 'yes', email: 'ani@example.org' }, { agent });
    const page = await agent.get(SEED_PATH).expect(200);
    expect(page.text).toContain('value="ani@example.org"');
    expect(page.headers['cache-control']).toBe(PRIVATE);
  });

  it('marks the page private when it shows the visitor their own held comment', async () => {
    const agent = request.agent(t.app);
    const posted = await submitComment(t, clock, { comment: 'Menunggu moderasi, ya?' }, { agent });
    expect(posted.headers['cache-control']).toBe(PRIVATE);
    const page = await agent.get(SEED_PATH).expect(200);
    expect(page.text).toContain('Menunggu moderasi, ya?');
    expect(page.text).toContain('Your comment is awaiting moderation.');
    expect(page.headers['cache-control']).toBe(PRIVATE);
  });

  it('marks the page private when it carries a session form token', async () => {
    const { agent, csrf } = await adminAgent(t);
    const page = await agent.get(SEED_PATH).expect(200);
    expect(page.text).toContain(csrf);
    expect(page.headers['cache-control']).toBe(PRIVATE);
  });

  it('marks the answer to a comment form with a mistake private: it holds what the visitor typed', async () => {
    const res = await submitComment(t, clock, { email: 'not an email', comment: 'Teks saya' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Teks saya');
    expect(res.headers['cache-control']).toBe(PRIVATE);
  });

  it('keeps the stated policy of what is the same for everyone, even for a visitor with cookies', async () => {
    const { agent } = await adminAgent(t);
    const css = await agent.get('/css/site.css?v=1').expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const feed = await request(t.app).get('/feed/').set('Cookie', 'comment_author=%7B%22name%22%3A%22Ani%22%7D').expect(200);
    expect(feed.headers['cache-control']).toBe('public, max-age=300');
  });

  it('states a policy on every answer a reader can get', async () => {
    for (const path of ['/', SEED_PATH, SEED_PATH.slice(0, -1), '/category/life-style/', '/?s=imers', '/feed/', '/feed/atom/', '/sitemap.xml', '/robots.txt', '/no-such-page/', '/admin/login/', '/css/site.css']) {
      const res = await request(t.app).get(path);
      expect(res.headers['cache-control'], path).toBeTruthy();
    }
  });
});
