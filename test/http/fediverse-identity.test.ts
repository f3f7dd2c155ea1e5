import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { addPost } from '../support/app.js';
import { formFields } from '../support/comments.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon.js';
import { startFakeMastodonOAuth, type FakeMastodonOAuth } from '../support/fake-mastodon-oauth.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';

let blog: FederatedBlog | undefined;
let instance: FakeMastodon | undefined;
let oauth: FakeMastodonOAuth | undefined;
afterEach(async () => {
  await oauth?.close();
  await blog?.close();
  await instance?.close();
  blog = instance = oauth = undefined;
});

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

describe('one Mastodon account, two ways in', () => {
  it('the account a visitor logs in with and the account that replies from Mastodon are one commenter, its actor URI', async () => {
    blog = await startFederatedBlog();
    instance = await startFakeMastodon();
    // The same instance speaks OAuth and the client API too: one origin, one alice.
    oauth = await startFakeMastodonOAuth({}, instance);
    expect(blog.services.settings.update({ ...blog.services.settings.get(), requirePreviouslyApproved: false }).errors).toBeUndefined();
    const postId = addPost(blog, { slug: 'one-account', markdown: 'Which alice is this?' });
    const path = blog.services.posts.permalinkOf(postId)!;

    // Logged in with Mastodon through the whole dance, alice comments from the blog's own form.
    const agent = request.agent(blog.app);
    const form = await agent.get(path).expect(200);
    await agent.post('/auth/mastodon/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(form.text), comment: 'Written on the blog', mastodon_instance: new URL(instance.origin).host }).expect(303);
    const go = await agent.get('/auth/mastodon/go').expect(200);
    const authorize = await fetch(/^0; url=(.+)$/.exec(go.headers.refresh)![1], { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location')!);
    await agent.get(callback.pathname + callback.search).expect(303);
    const loggedIn = await agent.get(path).expect(200);
    expect(loggedIn.text).toContain(`@alice@${new URL(instance.origin).host}`);
    await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(loggedIn.text), comment: 'Written on the blog' }).expect(303);

    // Then alice answers the post from her instance.
    const alice = instance.account('alice');
    const note = { id: `${alice.uri}/statuses/1`, type: 'Note', attributedTo: alice.uri, inReplyTo: `${blog.origin}${path}`, content: '<p>Written on Mastodon</p>', to: [PUBLIC] };
    expect((await instance.send({ id: `${note.id}/activity`, type: 'Create', actor: alice.uri, to: [PUBLIC], object: note }, `${blog.origin}/fediverse/inbox`)).status).toBe(202);
    await expect.poll(() => blog!.db.prepare('SELECT count(*) FROM comments WHERE post_id = ?').pluck().get(postId), { timeout: 5000 }).toBe(2);

    const rows = blog.db.prepare(`SELECT c.body_html, m.provider, m.provider_uid FROM comments c JOIN commenters m ON m.id = c.commenter_id
      WHERE c.post_id = ? ORDER BY c.id`).all(postId);
    expect(rows).toEqual([
      { body_html: '<p>Written on the blog</p>', provider: 'fediverse', provider_uid: alice.uri },
      { body_html: '<p>Written on Mastodon</p>', provider: 'fediverse', provider_uid: alice.uri },
    ]);
    expect(blog.db.prepare("SELECT count(*) FROM commenters WHERE provider = 'fediverse'").pluck().get()).toBe(1);
  });
});
