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
});
