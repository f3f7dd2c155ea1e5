import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';

let blog: FederatedBlog | undefined;
let fake: FakeMastodon | undefined;
afterEach(async () => {
  await blog?.close();
  await fake?.close();
  blog = fake = undefined;
});

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
      icon: { type: 'Image', url: `${blog.origin}/images/avatar.svg` },
      inbox: `${blog.origin}/fediverse/users/blog/inbox`,
      outbox: `${blog.origin}/fediverse/users/blog/outbox`,
      followers: `${blog.origin}/fediverse/users/blog/followers`,
      endpoints: { sharedInbox: `${blog.origin}/fediverse/inbox` },
      publicKey: { id: expect.stringContaining(`${blog.origin}/fediverse/users/blog#`), owner: `${blog.origin}/fediverse/users/blog`, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
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
    expect(followerRows(blog)).toEqual([{ actor_uri: fake.account('alice').uri, handle: `@alice@${new URL(fake.origin).host}`, inbox: `${fake.account('alice').uri}/inbox`, shared_inbox: `${fake.origin}/inbox`, follow_id: follow.id }]);

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
    expect(row).toMatchObject({ handle: `@alice@${new URL(fake.origin).host}`, name: 'Alice' });

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
});
