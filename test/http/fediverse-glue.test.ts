import net from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';

let t: TestApp | undefined;
let blog: FederatedBlog | undefined;
afterEach(async () => {
  t?.close();
  await blog?.close();
  t = blog = undefined;
});

const AS = 'application/activity+json';

describe('The Fediverse in the Express app', () => {
  it('answers 404 to everything federated when Settings turns the Fediverse off (and the post page stays HTML)', async () => {
    t = makeTestApp();
    await request(t.app).get('/.well-known/webfinger?resource=acct:blog@blog.test').expect(200);
    expect(t.services.settings.update({ fediverseEnabled: false })).toEqual({});
    await request(t.app).get('/.well-known/webfinger?resource=acct:blog@blog.test').expect(404);
    await request(t.app).get('/fediverse/users/blog').set('Accept', AS).expect(404);
    await request(t.app).get('/fediverse/users/blog/followers').set('Accept', AS).expect(404);
    await request(t.app).post('/fediverse/inbox').set('Content-Type', AS).send('{"type":"Follow"}').expect(404);
    const post = await request(t.app).get(SEED_PATH).set('Accept', AS).expect(200);
    expect(post.headers['content-type']).toMatch(/^text\/html/);
  });

  it('refuses an inbox body over 256 kB with 413 before reading it', async () => {
    t = makeTestApp();
    const body = JSON.stringify({ type: 'Create', padding: 'x'.repeat(300 * 1024) });
    const res = await request(t.app).post('/fediverse/inbox').set('Content-Type', AS).send(body);
    expect(res.status).toBe(413);
    // A small one is read (and, unsigned, refused).
    const small = { '@context': 'https://www.w3.org/ns/activitystreams', id: 'https://example.org/notes/1#create', type: 'Create', actor: 'https://example.org/users/x', object: { id: 'https://example.org/notes/1', type: 'Note', content: 'hi' } };
    await request(t.app).post('/fediverse/inbox').set('Content-Type', AS).send(JSON.stringify(small)).expect(401);
  });

  it('a Host header that makes no URL ("a b") is no 500: WebFinger, the actor and the inbox answer for the site', async () => {
    t = makeTestApp();
    const finger = await request(t.app).get('/.well-known/webfinger?resource=acct:blog@blog.test').set('Host', 'a b').expect(200);
    expect(JSON.parse(finger.text)).toMatchObject({ subject: 'acct:blog@blog.test' });
    await request(t.app).get('/fediverse/users/blog').set('Host', 'a b').set('Accept', AS).expect(200);
    // Unsigned: refused as such, not a server error.
    const small = { '@context': 'https://www.w3.org/ns/activitystreams', id: 'https://example.org/notes/2#create', type: 'Create', actor: 'https://example.org/users/x', object: { id: 'https://example.org/notes/2', type: 'Note', content: 'hi' } };
    await request(t.app).post('/fediverse/inbox').set('Host', 'a b').set('Content-Type', AS).send(JSON.stringify(small)).expect(401);
  });

  it('an absolute-form request target (GET http://elsewhere/.well-known/webfinger) gets 400, not a 500', async () => {
    blog = await startFederatedBlog();
    const { port } = new URL(blog.origin);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.end('GET http://elsewhere.example/.well-known/webfinger?resource=acct:blog@elsewhere.example HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text)).on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('a dispatcher that throws gives the error page, and the server keeps answering', async () => {
    blog = await startFederatedBlog();
    blog.db.exec('DROP TABLE fedi_followers');
    const res = await fetch(`${blog.origin}/fediverse/users/blog/followers`, { headers: { accept: AS } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${blog.origin}${SEED_PATH}`)).status).toBe(200);
    expect((await fetch(`${blog.origin}/fediverse/users/blog`, { headers: { accept: AS } })).status).toBe(200);
  });
});
