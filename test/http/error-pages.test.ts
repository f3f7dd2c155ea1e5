import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, recordingLogger, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
let log: ReturnType<typeof recordingLogger>;
beforeEach(() => {
  log = recordingLogger();
  t = makeTestApp({ logger: log.logger });
});
afterEach(() => t.close());

/** The blog's own page: its header with the site title and the error's heading. */
function expectThemedPage(res: request.Response, heading: string) {
  expect(res.type).toBe('text/html');
  expect(res.text).toContain('<html lang="en"');
  expect(res.text).toContain('Back to the home page');
  expect(res.text).toContain(`<h1>${heading}</h1>`);
  expect(res.headers['cache-control']).toBe('no-store');
}

describe('error pages for every status the blog sends', () => {
  it('416: a Range past the end of a static file gets the themed page and its Content-Range, nothing logged as an error', async () => {
    const res = await request(t.app).get('/css/site.css').set('Range', 'bytes=99999999-').expect(416);
    expectThemedPage(res, 'This request cannot be answered');
    expect(res.headers['content-range']).toMatch(/^bytes \*\/\d+$/);
    expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('412: a failed If-Match on a static file gets the themed page', async () => {
    const res = await request(t.app).get('/css/site.css').set('If-Match', '"not-this-one"').expect(412);
    expectThemedPage(res, 'This request cannot be answered');
    expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('400: a path with broken percent-encoding', async () => {
    expectThemedPage(await request(t.app).get('/%E0%A4%A/').expect(400), 'This request cannot be answered');
  });

  it('403: a cross-site comment', async () => {
    const res = await request(t.app).post('/comments/').set('Sec-Fetch-Site', 'cross-site').type('form').send({ comment: 'x' }).expect(403);
    expectThemedPage(res, 'Not allowed');
  });

  it('404: an unknown page', async () => {
    expectThemedPage(await request(t.app).get('/no-such-page/').expect(404), 'Page not found');
  });

  it('413: a comment body over the limit', async () => {
    const res = await request(t.app).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ comment: 'x'.repeat(400_000) }).expect(413);
    expectThemedPage(res, 'Too large');
  });

  it('304 and HEAD answer with no body, as HTTP says', async () => {
    const first = await request(t.app).get('/css/site.css').expect(200);
    const again = await request(t.app).get('/css/site.css').set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    const head = await request(t.app).head(SEED_PATH).expect(200);
    expect(head.text).toBeUndefined();
  });
});
