import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';

let blog: FederatedBlog | undefined;
let fake: FakeMastodon | undefined;
let recorder: http.Server | undefined;
afterEach(async () => {
  await blog?.close();
  await fake?.close();
  recorder?.closeAllConnections();
  await new Promise((resolve) => (recorder ? recorder.close(resolve) : resolve(undefined)));
  blog = fake = recorder = undefined;
});

/** A plain-http server on 127.0.0.1 standing for an inbox the blog must never post to; the paths it was asked for. */
async function startRecorder() {
  const paths: string[] = [];
  recorder = http.createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => recorder!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`, paths };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

const followerRows = (b: FederatedBlog) => b.db.prepare('SELECT actor_uri, handle, inbox, shared_inbox, follow_id FROM fedi_followers').all();

describe('Following the blog from Mastodon', () => {
  it('resolves @blog@host by WebFinger to the blog actor: name, tagline, icon, url, key, inbox, outbox, followers, shared inbox', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    expect(actor).toMatchObject({
      id: `${blog.origin}/fediverse/users/blog`,
      type: 'Service',
      preferredUsername: 'blog',
      name: 'IMers Blog',
      summary: 'Catatan seorang newbie IM',
      url: `${blog.origin}/`,
      icon: { type: 'Image', url: `${blog.origin}/images/avatar.png`, mediaType: 'image/png' },
      inbox: `${blog.origin}/fediverse/users/blog/inbox`,
      outbox: `${blog.origin}/fediverse/users/blog/outbox`,
      followers: `${blog.origin}/fediverse/users/blog/followers`,
      endpoints: { sharedInbox: `${blog.origin}/fediverse/inbox` },
      publicKey: { id: expect.stringContaining(`${blog.origin}/fediverse/users/blog#`), owner: `${blog.origin}/fediverse/users/blog`, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
    // Mastodon keeps raster avatars only (PNG, JPEG, GIF, WebP), at 400×400.
    const icon = await fetch((actor.icon as { url: string }).url);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(await sharp(Buffer.from(await icon.arrayBuffer())).metadata()).toMatchObject({ format: 'png', width: 400, height: 400 });
  });

  it('accepts a Follow (the Accept reaches the follower, signed as Mastodon checks) and an Undo removes the follower', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const { activity: follow, response } = await fake.follow(actor);
    expect(response.status).toBe(202);
    const accept = await fake.waitFor((r) => r.activity.type === 'Accept');
    expect(accept.keyId).toContain(actor.id);
    expect(accept.path).toBe('/users/alice/inbox');
    expect(accept.activity).toMatchObject({ actor: actor.id, object: { id: follow.id, type: 'Follow' } });
    expect(followerRows(blog)).toEqual([{ actor_uri: fake.account('alice').uri, handle: `@alice@${new URL(fake.origin).hostname}`, inbox: `${fake.account('alice').uri}/inbox`, shared_inbox: `${fake.origin}/inbox`, follow_id: follow.id }]);

    const undo = await fake.undo(follow, actor.inbox);
    expect(undo.response.status).toBe(202);
    await expect.poll(() => followerRows(blog!), { timeout: 5000 }).toEqual([]);
  });

  it('rejects a Follow from a blocked account or instance, and stores no follower', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const bob = fake.account('bob');
    blog.db.prepare("INSERT INTO fedi_blocks (kind, value, created_at) VALUES ('account', ?, 0)").run(bob.uri);
    const { activity: follow } = await fake.follow(actor, { as: 'bob' });
    const reject = await fake.waitFor((r) => r.activity.type === 'Reject');
    expect(reject.path).toBe('/users/bob/inbox');
    expect(reject.activity).toMatchObject({ actor: actor.id, object: { id: follow.id } });
    expect(fake.received.some((r) => r.activity.type === 'Accept')).toBe(false);
    expect(followerRows(blog)).toEqual([]);
  });

  it('the admin removes a follower (its instance gets a Reject of the Follow) or blocks it (its next Follow is rejected)', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const { activity: follow } = await fake.follow(actor);
    await fake.waitFor((r) => r.activity.type === 'Accept');
    const [row] = blog.services.fediverse.followers.list();
    expect(row).toMatchObject({ handle: `@alice@${new URL(fake.origin).hostname}`, name: 'Alice' });

    expect(await blog.services.fediverse.followers.blockFollower(row.id)).toBe(true);
    const reject = await fake.waitFor((r) => r.activity.type === 'Reject');
    expect(reject.activity).toMatchObject({ object: { id: follow.id, type: 'Follow' } });
    expect(blog.services.fediverse.followers.list()).toEqual([]);
    expect(await blog.services.fediverse.followers.removeFollower(row.id)).toBe(false);

    await fake.follow(actor);
    await expect.poll(() => fake!.received.filter((r) => r.activity.type === 'Reject').length, { timeout: 5000 }).toBe(2);
    expect(blog.services.fediverse.followers.list()).toEqual([]);
  });

  it("with private addresses refused (as in production) the fake's actor cannot be fetched: the Follow is refused, nothing stored", async () => {
    blog = await startFederatedBlog({ allowPrivateAddress: false });
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const { response } = await fake.follow(actor);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.received).toEqual([]);
    expect(followerRows(blog)).toEqual([]);
  });

  it('refuses (401) a Follow that is unsigned, signed with a key not the account\'s, or altered after signing, and stores nothing; the fake refuses them too', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const alice = fake.account('alice');
    const follow = { id: `${alice.uri}#follows/forged`, type: 'Follow', actor: alice.uri, object: actor.id };
    const forgeries = [{ signing: 'none' as const }, { signing: 'wrong-key' as const }, { alterBody: (body: string) => body.replace('forged', 'altered') }];
    for (const inbox of [actor.inbox, `${fake.origin}/inbox`]) {
      for (const forgery of forgeries) expect((await fake.send(follow, inbox, forgery)).status).toBe(401);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(followerRows(blog)).toEqual([]);
    expect(fake.received).toEqual([]);
    expect((await fake.send(follow, `${fake.origin}/inbox`)).status).toBe(202);
  });

  it('drops a Follow whose inbox or shared inbox is on a link-local or private address or plain http: nothing stored, nothing sent there', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const plain = await startRecorder();
    fake.account('metadata', { inbox: 'https://169.254.169.254/latest/inbox' });
    fake.account('lan', { inbox: 'https://10.0.0.1/inbox' });
    fake.account('plain', { inbox: `${plain.origin}/inbox` });
    fake.account('sharedlan', { sharedInbox: 'https://10.0.0.1/inbox' });
    fake.account('sharedplain', { sharedInbox: `${plain.origin}/shared` });
    const actor = await fake.resolve(blog.handle, 'http');
    for (const as of ['metadata', 'lan', 'plain', 'sharedlan', 'sharedplain']) expect((await fake.follow(actor, { as })).response.status).toBe(202);
    // A follower on a loopback https inbox (the test setting lets loopback through) is accepted as before.
    await fake.follow(actor);
    await fake.waitFor((r) => r.activity.type === 'Accept');
    await settle();
    expect(followerRows(blog).map((row) => (row as { actor_uri: string }).actor_uri)).toEqual([fake.account('alice').uri]);
    expect(plain.paths).toEqual([]);
    expect(fake.received.map((r) => `${r.activity.type} ${r.path}`)).toEqual(['Accept /users/alice/inbox']);
  });

  it('sends nothing to a stored follower whose inbox is plain http (a row from before the check): not a publish, not the Reject when removed', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const plain = await startRecorder();
    const actor = await fake.resolve(blog.handle, 'http');
    await fake.follow(actor);
    await fake.waitFor((r) => r.activity.type === 'Accept');
    blog.db.prepare("INSERT INTO fedi_followers (actor_uri, handle, name, inbox, shared_inbox, follow_id, created_at) VALUES (?, '@old@127.0.0.1', 'Old', ?, ?, ?, 0)")
      .run(`${plain.origin}/users/old`, `${plain.origin}/users/old/inbox`, `${plain.origin}/inbox`, `${plain.origin}/users/old#follows/1`);
    const { agent, csrf } = await adminAgent(blog);
    const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, status: 'published', title: 'Hujan', markdown: 'Deras.' }));
    expect(res.status).toBe(303);
    await fake.waitFor((r) => r.activity.type === 'Create');
    const old = blog.services.fediverse.followers.list().find((row) => row.handle === '@old@127.0.0.1')!;
    expect(await blog.services.fediverse.followers.removeFollower(old.id)).toBe(true);
    await settle();
    expect(plain.paths).toEqual([]);
    expect(blog.services.fediverse.followers.list().map((row) => row.handle)).toEqual([`@alice@${new URL(fake.origin).hostname}`]);
  });

  it('a Follow or an Undo of a Follow whose id is on another host than its actor changes nothing', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const alice = fake.account('alice');
    const foreign = { id: 'https://elsewhere.example/follows/1', type: 'Follow', actor: alice.uri, object: actor.id };
    expect((await fake.send(foreign, actor.inbox)).status).toBe(202);
    await settle();
    expect(followerRows(blog)).toEqual([]);
    expect(fake.received).toEqual([]);

    const { activity: follow } = await fake.follow(actor);
    await fake.waitFor((r) => r.activity.type === 'Accept');
    for (const [id, object] of [['embedded', follow], ['by-id', follow.id]] as const) {
      expect((await fake.send({ id: `https://elsewhere.example/undos/${id}`, type: 'Undo', actor: alice.uri, object }, actor.inbox)).status).toBe(202);
    }
    await settle();
    expect(followerRows(blog)).toHaveLength(1);
  });

  it("an Undo of alice's Follow sent by bob (embedded or by id) removes nothing", async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    const { activity: follow } = await fake.follow(actor);
    await fake.waitFor((r) => r.activity.type === 'Accept');
    expect((await fake.undo(follow, actor.inbox, { as: 'bob' })).response.status).toBe(202);
    const bob = fake.account('bob');
    expect((await fake.send({ id: `${bob.uri}#undos/by-id`, type: 'Undo', actor: bob.uri, object: follow.id }, actor.inbox, { as: 'bob' })).status).toBe(202);
    await settle();
    expect(followerRows(blog)).toHaveLength(1);
  });

  it('an account blocked by its handle (@bob@127.0.0.1, no port, as the block list keeps it) cannot follow from 127.0.0.1:PORT', async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    const actor = await fake.resolve(blog.handle, 'http');
    expect(blog.services.fediBlocks.blockAccount('@bob@127.0.0.1')).toBe(true);
    const { activity: follow } = await fake.follow(actor, { as: 'bob' });
    const reject = await fake.waitFor((r) => r.activity.type === 'Reject');
    expect(reject.activity).toMatchObject({ object: { id: follow.id } });
    expect(followerRows(blog)).toEqual([]);
  });

  it("keeps a follower's display name as one plain line of at most 245 characters", async () => {
    blog = await startFederatedBlog();
    fake = await startFakeMastodon();
    fake.account('long', { displayName: `Long\n\tname ${'x'.repeat(5000)}` });
    const actor = await fake.resolve(blog.handle, 'http');
    await fake.follow(actor, { as: 'long' });
    await fake.waitFor((r) => r.activity.type === 'Accept');
    const [row] = blog.services.fediverse.followers.list();
    expect(row.name).toBe(`Long name ${'x'.repeat(235)}`);
  });
});
