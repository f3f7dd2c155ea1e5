import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { upload } from '../support/admin-media.js';
import { makeTestApp } from '../support/app.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';
import { listenHttps, testCa, trustTestCa } from '../support/test-ca.js';
import type { DeliveryRetry } from '../../src/fediverse/delivery-retry.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const QUICK: DeliveryRetry = { initialMs: 100, maxDelayMs: 200, giveUpAfterMs: 60_000 };
type Agent = Awaited<ReturnType<typeof adminAgent>>['agent'];
type Blog = Pick<FederatedBlog, 'db' | 'origin' | 'handle'>;

async function federated(options: { deliveryRetry?: DeliveryRetry } = {}) {
  const blog = await startFederatedBlog({ deliveryRetry: QUICK, ...options });
  const fake = await startFakeMastodon();
  cleanups.push(() => fake.close(), () => blog.close());
  return { blog, fake, ...(await adminAgent(blog)) };
}

/** The fake's accounts follow the blog (each Accept arrives). */
async function follow(blog: Blog, fake: FakeMastodon, ...names: string[]) {
  const actor = await fake.resolve(blog.handle, 'http');
  for (const as of names) {
    await fake.follow(actor, { as });
    await fake.waitFor((r) => r.activity.type === 'Accept' && r.path === `/users/${as}/inbox`);
  }
  return actor;
}

async function publish(agent: Agent, csrf: string, fields: Record<string, string>) {
  const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, status: 'published', ...fields }));
  expect(res.status).toBe(303);
  return Number(/\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]);
}

const permalink = (blog: Blog, id: number) => {
  const { slug, published_at: at } = blog.db.prepare('SELECT slug, published_at FROM posts WHERE id = ?').get(id) as { slug: string; published_at: string };
  return `${blog.origin}/${at.slice(0, 4)}/${at.slice(5, 7)}/${at.slice(8, 10)}/${slug}/`;
};
const queued = (blog: Blog) => blog.db.prepare('SELECT count(*) FROM fedi_queue').pluck().get() as number;
const creates = (fake: FakeMastodon) => fake.received.filter((r) => r.activity.type === 'Create');

/**
 * An instance's front door between the blog and the fake: 'down' answers 503 (an instance that is down), 'hold'
 * keeps each request open until release(), 'open' passes it on to the fake as it came (the Host header the blog
 * signed kept), so the fake checks its signature.
 */
async function frontDoor(fake: FakeMastodon) {
  const ca = await testCa();
  let mode: 'open' | 'down' | 'hold' = 'open';
  let release = () => {};
  let released = new Promise<void>((resolve) => (release = resolve));
  const seen: string[] = [];
  const pass = (req: IncomingMessage, body: Buffer) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const target = new URL(req.url!, fake.origin);
    const out = https.request(target, { method: req.method, headers: req.headers, ca: ca.caCert }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    out.on('error', reject).end(body);
  });
  const door = await listenHttps(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push(mode);
    if (mode === 'down') return res.writeHead(503).end('down for maintenance');
    if (mode === 'hold') await released;
    const answer = await pass(req, Buffer.concat(chunks));
    res.writeHead(answer.status).end(answer.body);
  });
  cleanups.push(() => door.close());
  return {
    origin: door.origin,
    seen,
    set: (to: typeof mode) => {
      mode = to;
      if (to !== 'hold') {
        release();
        released = new Promise<void>((resolve) => (release = resolve));
      }
    },
  };
}

/** Deliveries to the blog's followers go through the door instead of straight to their instance. */
const throughDoor = (blog: Blog, door: { origin: string }, fake: FakeMastodon) =>
  blog.db.prepare('UPDATE fedi_followers SET inbox = replace(inbox, ?, ?), shared_inbox = replace(shared_inbox, ?, ?)').run(fake.origin, door.origin, fake.origin, door.origin);

describe('Publishing goes out to the Fediverse', () => {
  it('a post published in the editor reaches the follower as a signed Create(Article): title, summary, HTML, url, published, hashtags, featured image', async () => {
    const { blog, fake, agent, csrf } = await federated();
    const actor = await follow(blog, fake, 'alice');
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).png().toBuffer();
    const uploaded = await upload(agent, csrf, png, 'sawah.png');
    const mediaId = /uploaded=(\d+)/.exec(uploaded.headers.location)![1];

    const id = await publish(agent, csrf, { title: 'Pagi di Ubud', markdown: 'Kabut di atas *sawah*.', excerpt: 'Kabut pagi.', tags: 'Bali, jalan jalan', featured_image: mediaId });
    const { activity, keyId, path: inbox } = await fake.waitFor((r) => r.activity.type === 'Create');
    const url = permalink(blog, id);
    expect(inbox).toBe('/inbox');
    expect(keyId.startsWith(`${actor.id}#`)).toBe(true);
    expect(activity).toMatchObject({ type: 'Create', actor: actor.id, object: { id: url } });
    const article = activity.object as Record<string, unknown>;
    expect(article).toMatchObject({
      id: url, type: 'Article', url, name: 'Pagi di Ubud', attributedTo: actor.id,
      content: expect.stringContaining('<em>sawah</em>'), summary: expect.stringContaining('Kabut pagi.'),
      published: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      image: { type: 'Image', url: expect.stringMatching(new RegExp(`^${blog.origin}/uploads/.+\\.png$`)) },
    });
    const tags = (Array.isArray(article.tag) ? article.tag : [article.tag]) as { type: string; name: string; href: string }[];
    expect(tags.map((tag) => [tag.type, tag.name])).toEqual([['Hashtag', '#Bali'], ['Hashtag', '#jalanjalan']]);
    expect(String(activity.to ?? '')).toContain('Public');
    expect(fake.refused).toEqual([]);
  });

  it('an edit sends Update with updated; trashing sends Delete of the post’s address', async () => {
    const { blog, fake, agent, csrf } = await federated();
    await follow(blog, fake, 'alice');
    const id = await publish(agent, csrf, { title: 'Hujan', markdown: 'Deras.' });
    await fake.waitFor((r) => r.activity.type === 'Create');
    const url = permalink(blog, id);

    const edit = await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({ _csrf: csrf, status: 'published', title: 'Hujan sore', slug: 'hujan', markdown: 'Deras sekali.' }));
    expect(edit.status).toBe(303);
    const update = await fake.waitFor((r) => r.activity.type === 'Update');
    expect(update.activity.object).toMatchObject({ id: url, type: 'Article', name: 'Hujan sore', content: expect.stringContaining('Deras sekali.'), updated: expect.stringMatching(/^\d{4}-/) });
    expect(update.activity.updated).toEqual(expect.stringMatching(/^\d{4}-/));

    expect((await agent.post(`/admin/posts/${id}/trash/`).type('form').send({ _csrf: csrf })).status).toBe(303);
    const deleted = await fake.waitFor((r) => r.activity.type === 'Delete');
    expect(deleted.activity.object).toMatchObject({ id: url, type: 'Tombstone' });
    expect(fake.refused).toEqual([]);
  });

  it('a draft, a password-protected post and anything while the Fediverse is off send nothing', async () => {
    const { blog, fake, agent, csrf } = await federated();
    await follow(blog, fake, 'alice');
    await publish(agent, csrf, { title: 'Belum', markdown: 'Draf.', status: 'draft' });
    await publish(agent, csrf, { title: 'Rahasia', markdown: 'Untuk yang tahu.', visibility: 'password', post_password: 'sesame' });
    expect(blog.services.settings.update({ fediverseEnabled: false })).toEqual({});
    await publish(agent, csrf, { title: 'Sepi', markdown: 'Tak ada yang dengar.' });
    expect(blog.services.settings.update({ fediverseEnabled: true })).toEqual({});
    await publish(agent, csrf, { title: 'Terbuka', markdown: 'Untuk semua.' });
    // Deliveries go out in order: by the time the open post's Create is here, any earlier one would be too.
    await fake.waitFor((r) => r.activity.type === 'Create');
    await blog.services.fediOutbound.settled();
    await expect.poll(() => queued(blog)).toBe(0);
    expect(creates(fake).map((r) => (r.activity.object as { name: string }).name)).toEqual(['Terbuka']);
  });

  it('two followers on one instance with a shared inbox get one delivery', async () => {
    const { blog, fake, agent, csrf } = await federated();
    await follow(blog, fake, 'alice', 'bob');
    await publish(agent, csrf, { title: 'Sekali saja', markdown: 'Satu.' });
    await fake.waitFor((r) => r.activity.type === 'Create');
    await expect.poll(() => queued(blog)).toBe(0);
    expect(creates(fake).map((r) => r.path)).toEqual(['/inbox']);
  });

  it('the admin’s publish does not wait for the delivery: it returns while the instance holds the request open', async () => {
    const { blog, fake, agent, csrf } = await federated();
    await follow(blog, fake, 'alice');
    const door = await frontDoor(fake);
    throughDoor(blog, door, fake);
    door.set('hold');
    await publish(agent, csrf, { title: 'Tidak menunggu', markdown: 'Cepat.' });
    // The delivery is under way and held; a second save returns as well.
    await expect.poll(() => door.seen.length).toBe(1);
    expect(creates(fake)).toEqual([]);
    await publish(agent, csrf, { title: 'Juga tidak', markdown: 'Cepat juga.' });
    door.set('open');
    await expect.poll(() => creates(fake).length).toBe(2);
  });

  it('a delivery to an instance that is down is retried after a restart and arrives once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-restart-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(trustTestCa(await testCa()));
    const fake = await startFakeMastodon();
    cleanups.push(() => fake.close());
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const origin = `http://127.0.0.1:${port}`;
    const env = { PUBLIC_URL: origin, DATABASE_PATH: path.join(dir, 'blog.db'), FEDIVERSE_ALLOW_PRIVATE_ADDRESS: 'true' };
    const stop = async (t: ReturnType<typeof makeTestApp>, s: http.Server) => {
      await t.services.fediverse.stop();
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
      t.close();
    };

    const first = makeTestApp({ env, deliveryRetry: { initialMs: 300, maxDelayMs: 300, giveUpAfterMs: 600_000 } });
    server.on('request', first.app);
    const blog = { db: first.db, origin, handle: `@blog@127.0.0.1:${port}` };
    await follow(blog, fake, 'alice');
    const door = await frontDoor(fake);
    throughDoor(blog, door, fake);
    door.set('down');
    const { agent, csrf } = await adminAgent(first);
    await publish(agent, csrf, { title: 'Tahan lama', markdown: 'Tidak hilang.' });
    await expect.poll(() => door.seen.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await stop(first, server);

    const again = http.createServer();
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
    const second = makeTestApp({ env, seed: false, deliveryRetry: { initialMs: 100, maxDelayMs: 100, giveUpAfterMs: 600_000 } });
    again.on('request', second.app);
    cleanups.push(() => stop(second, again));
    expect(queued({ ...blog, db: second.db })).toBeGreaterThan(0);
    door.set('open');
    const create = await fake.waitFor((r) => r.activity.type === 'Create', 15_000);
    expect((create.activity.object as { name: string }).name).toBe('Tahan lama');
    await expect.poll(() => queued({ ...blog, db: second.db }), { timeout: 10_000 }).toBe(0);
    expect(creates(fake)).toHaveLength(1);
  });

  it('an instance that stays down is given up after the policy’s time; Settings → Fediverse and the dashboard say so', async () => {
    const { blog, fake, agent, csrf } = await federated({ deliveryRetry: { initialMs: 50, maxDelayMs: 100, giveUpAfterMs: 700 } });
    await follow(blog, fake, 'alice');
    const door = await frontDoor(fake);
    throughDoor(blog, door, fake);
    door.set('down');
    await publish(agent, csrf, { title: 'Tak sampai', markdown: 'Hilang.' });
    await expect.poll(() => blog.db.prepare('SELECT inbox, activity_type AS type, error FROM fedi_undelivered').all(), { timeout: 10_000 })
      .toEqual([{ inbox: `${door.origin}/inbox`, type: 'Create', error: expect.stringContaining('503') }]);
    expect(door.seen.length).toBeGreaterThan(2);
    await expect.poll(() => queued(blog)).toBe(0);

    const screen = await agent.get('/admin/settings/fediverse/');
    expect(screen.text).toContain(new URL(door.origin).host);
    expect(screen.text).toMatch(/Deliveries given up/);
    const dashboard = await agent.get('/admin/');
    expect(dashboard.text).toMatch(/given up/);
  });
});
