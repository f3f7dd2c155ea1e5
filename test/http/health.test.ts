import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';

describe('GET /healthz', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp();
  });
  afterEach(() => t.close());

  it('answers 200 with a small JSON body that no cache keeps, while the database answers', async () => {
    const res = await request(t.app).get('/healthz').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers at its own address, without the trailing-slash redirect pages get', async () => {
    const res = await request(t.app).head('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
  });

  it('needs no session: a stale session cookie neither changes the answer nor starts a session', async () => {
    const res = await request(t.app).get('/healthz').set('Cookie', 'blog.sid=s%3Anot-a-session.bad').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 503, still uncached, once the database no longer answers', async () => {
    t.db.close();
    const res = await request(t.app).get('/healthz').expect(503);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ status: 'unavailable', database: 'not answering' });
  });

  it('is never rate-limited: a monitor polling hard keeps getting 200', async () => {
    const agent = request(t.app);
    for (let i = 0; i < 150; i++) {
      const res = await agent.get('/healthz');
      expect(res.status).toBe(200);
    }
  });
});
