import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { INBOX_LIMIT, inboxLimitKey } from '../../src/http/inbox-limit.js';
import type { Post } from '../../src/models.js';
import { addPost } from '../support/app.js';
import { startFakeMastodon, type FakeMastodon, type SendOptions } from '../support/fake-mastodon.js';
import { startFederatedBlog, type FederatedBlog } from '../support/federated-blog.js';

let blog: FederatedBlog | undefined;
let fake: FakeMastodon | undefined;
afterEach(async () => {
  await blog?.close();
  await fake?.close();
  blog = fake = undefined;
});

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

interface Stored {
  id: number;
  parent_id: number | null;
  status: string;
  author_name: string;
  author_url: string;
  body_html: string;
  fedi_object_id: string | null;
  provider: string | null;
  provider_uid: string | null;
  picture_url: string | null;
}

const comments = (b: FederatedBlog) =>
  b.db.prepare(`SELECT c.id, c.parent_id, c.status, c.author_name, c.author_url, c.body_html, c.fedi_object_id,
      m.provider, m.provider_uid, m.picture_url
    FROM comments c LEFT JOIN commenters m ON m.id = c.commenter_id WHERE c.fedi_object_id IS NOT NULL ORDER BY c.id`).all() as Stored[];

const reactions = (b: FederatedBlog, postId: number) =>
  b.db.prepare('SELECT fedi_likes AS likes, fedi_boosts AS boosts FROM posts WHERE id = ?').get(postId) as { likes: number; boosts: number };

/** A blog on 127.0.0.1 and a fake Mastodon, with a fresh post; first-time accounts are not held unless a test says so. */
async function setUp({ holdFirst = false, allowPrivateAddress = true } = {}) {
  // The page cache on: every change below must drop the post's kept page for the reader to see it.
  blog = await startFederatedBlog({ allowPrivateAddress, env: { PAGE_CACHE: 'on' } });
  fake = await startFakeMastodon();
  if (!holdFirst) expect(blog.services.settings.update({ ...blog.services.settings.get(), requirePreviouslyApproved: false }).errors).toBeUndefined();
  const postId = addPost(blog, { slug: 'small-web-notes', markdown: 'A post about the **small web**.' });
  const postUrl = `${blog.origin}${blog.services.posts.permalinkOf(postId)!}`;
  const inbox = `${blog.origin}/fediverse/inbox`;
  return { blog, fake, postId, postUrl, inbox };
}

/** The post page as a reader gets it, over HTTP. */
const page = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
};

let sequence = 0;
/** A Create(Note) from an account of the fake, as Mastodon sends a reply. */
function reply(f: FakeMastodon, inReplyTo: string, content: string, as = 'alice') {
  const account = f.account(as);
  const id = `${account.uri}/statuses/${++sequence}`;
  const note = { id, type: 'Note', attributedTo: account.uri, inReplyTo, content, to: [PUBLIC], published: new Date().toISOString() };
  return { note, activity: { id: `${id}/activity`, type: 'Create', actor: account.uri, to: [PUBLIC], object: note } };
}

async function deliver(f: FakeMastodon, activity: Record<string, unknown>, inbox: string, options?: SendOptions) {
  const response = await f.send(activity, inbox, options);
  return response.status;
}

/** Waits for the blog's queue to handle what was delivered (inbox work goes through it). */
const settled = async (b: FederatedBlog) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await expect.poll(() => b.db.prepare('SELECT count(*) AS n FROM fedi_queue').get(), { timeout: 5000 }).toEqual({ n: 0 });
  await new Promise((resolve) => setTimeout(resolve, 100));
};

describe('Replies from the Fediverse become comments', () => {
  it('a reply to a post is a comment under it with the account\'s name, avatar and profile link, marked as from the Fediverse', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const { note, activity } = reply(fake, postUrl, '<p>Lovely post!</p><p>Second <em>paragraph</em>.</p>');
    expect(await deliver(fake, activity, inbox)).toBe(202);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    const alice = fake.account('alice');
    expect(comments(blog)[0]).toMatchObject({
      parent_id: null, status: 'approved', author_name: 'Alice', author_url: `${fake.origin}/@alice`,
      body_html: '<p>Lovely post!</p>\n<p>Second <em>paragraph</em>.</p>', fedi_object_id: note.id,
      provider: 'fediverse', provider_uid: alice.uri, picture_url: `${fake.origin}/avatars/alice.png`,
    });
    const html = await page(postUrl);
    const id = comments(blog)[0].id;
    const item = html.slice(html.indexOf(`id="comment-${id}"`));
    expect(item).toContain(`src="${fake.origin}/avatars/alice.png"`);
    expect(item).toContain(`<a href="${fake.origin}/@alice" rel="external nofollow ugc">Alice</a>`);
    expect(item).toMatch(/class="fediverse-mark"[^>]*>[^<]*Fediverse/);
    expect(item).toContain('<p>Second <em>paragraph</em>.</p>');
    expect(postId).toBeGreaterThan(0);
  });

  it('a reply to a comment is threaded under it, whether it names the comment\'s #comment-N link or the Note it came as', async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    const first = reply(fake, postUrl, '<p>First!</p>');
    await deliver(fake, first.activity, inbox);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    const [root] = comments(blog);
    const byNote = reply(fake, first.note.id, '<p>Answering my own Note.</p>', 'bob');
    const byLink = reply(fake, `${postUrl}#comment-${root.id}`, '<p>Answering the comment link.</p>', 'carol');
    expect(await deliver(fake, byNote.activity, inbox, { as: 'bob' })).toBe(202);
    expect(await deliver(fake, byLink.activity, inbox, { as: 'carol' })).toBe(202);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(3);
    expect(comments(blog).slice(1).map((c) => [c.parent_id, c.author_name])).toEqual([[root.id, 'Bob'], [root.id, 'Carol']]);
    const html = await page(postUrl);
    const children = html.slice(html.indexOf(`id="comment-${root.id}"`)).split('<ol class="children">')[1];
    expect(children).toContain('Answering my own Note.');
    expect(children).toContain('Answering the comment link.');
  });

  it('Update from the author changes the text (sanitized again); Delete trashes it; another account\'s Update or Delete changes nothing', async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    const { note, activity } = reply(fake, postUrl, '<p>Frist post.</p>');
    await deliver(fake, activity, inbox);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    expect(await page(postUrl)).toContain('Frist post.');

    const mallory = fake.account('mallory');
    const forgedEdit = { id: `${mallory.uri}#updates/1`, type: 'Update', actor: mallory.uri, object: { ...note, attributedTo: mallory.uri, content: '<p>Hijacked</p>' } };
    expect(await deliver(fake, forgedEdit, inbox, { as: 'mallory' })).toBe(202);
    const forgedDelete = { id: `${mallory.uri}#deletes/1`, type: 'Delete', actor: mallory.uri, object: { id: note.id, type: 'Tombstone' } };
    expect(await deliver(fake, forgedDelete, inbox, { as: 'mallory' })).toBe(202);

    const alice = fake.account('alice');
    const edit = { id: `${alice.uri}#updates/1`, type: 'Update', actor: alice.uri, object: { ...note, content: '<p>First post, <b>corrected</b>.<img src=x onerror=alert(1)></p>', updated: new Date().toISOString() } };
    expect(await deliver(fake, edit, inbox)).toBe(202);
    await expect.poll(() => comments(blog)[0].body_html, { timeout: 5000 }).toBe('<p>First post, <b>corrected</b>.</p>');
    let html = await page(postUrl);
    expect(html).toContain('First post, <b>corrected</b>.');
    expect(html).not.toContain('Frist post.');
    expect(html).not.toContain('Hijacked');

    const remove = { id: `${alice.uri}#deletes/1`, type: 'Delete', actor: alice.uri, object: { id: note.id, type: 'Tombstone' } };
    expect(await deliver(fake, remove, inbox)).toBe(202);
    await expect.poll(() => comments(blog)[0].status, { timeout: 5000 }).toBe('trash');
    html = await page(postUrl);
    expect(html).not.toContain('corrected');
  });

  it('a first-time account is held as a guest is (readers do not see it, the moderators are told by email); shown once approved', async () => {
    const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedi-mail-'));
    blog = await startFederatedBlog({ env: { MAIL_DIR: mailDir } });
    fake = await startFakeMastodon();
    blog.db.prepare("UPDATE users SET email = 'newbie@example.org' WHERE login = 'newbie-im'").run();
    const postId = addPost(blog, { slug: 'held-here' });
    const postUrl = `${blog.origin}${blog.services.posts.permalinkOf(postId)!}`;
    const { activity } = reply(fake, postUrl, '<p>Hello from afar.</p>');
    expect(await deliver(fake, activity, `${blog.origin}/fediverse/inbox`)).toBe(202);
    await expect.poll(() => comments(blog!), { timeout: 5000 }).toHaveLength(1);
    const [held] = comments(blog);
    expect(held.status).toBe('pending');
    expect(await page(postUrl)).not.toContain('Hello from afar.');
    expect(blog.db.prepare("SELECT subject FROM outbox WHERE kind = 'moderation-notice'").pluck().all()).toEqual([expect.stringContaining('held here')]);

    expect(blog.services.moderation.apply('approve', held.id)).toBe(true);
    expect(await page(postUrl)).toContain('Hello from afar.');
    // Known now: the next reply goes straight up.
    await deliver(fake, reply(fake, postUrl, '<p>Again.</p>').activity, `${blog.origin}/fediverse/inbox`);
    await expect.poll(() => comments(blog!).map((c) => c.status), { timeout: 5000 }).toEqual(['approved', 'approved']);
    fs.rmSync(mailDir, { recursive: true, force: true });
  });

  it('the discussion settings apply: moderation words hold, disallowed words bin, closed comments drop', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const { settings } = blog.services;
    expect(settings.update({ ...settings.get(), moderationKeys: 'casino', disallowedKeys: 'viagra' }).errors).toBeUndefined();
    await deliver(fake, reply(fake, postUrl, '<p>Visit my casino</p>').activity, inbox);
    await deliver(fake, reply(fake, postUrl, '<p>Cheap viagra</p>').activity, inbox);
    await expect.poll(() => comments(blog).map((c) => c.status), { timeout: 5000 }).toEqual(['pending', 'spam']);
    // An approved reply edited into the moderation words goes back to the queue.
    const { note, activity } = reply(fake, postUrl, '<p>Fine words</p>');
    await deliver(fake, activity, inbox);
    await expect.poll(() => comments(blog).map((c) => c.status), { timeout: 5000 }).toEqual(['pending', 'spam', 'approved']);
    const alice = fake.account('alice');
    await deliver(fake, { id: `${alice.uri}#updates/9`, type: 'Update', actor: alice.uri, object: { ...note, content: '<p>Fine casino words</p>' } }, inbox);
    await expect.poll(() => comments(blog)[2], { timeout: 5000 }).toMatchObject({ status: 'pending', body_html: '<p>Fine casino words</p>' });
    blog.db.prepare('UPDATE posts SET comments_open = 0 WHERE id = ?').run(postId);
    await deliver(fake, reply(fake, postUrl, '<p>Too late</p>').activity, inbox);
    await settled(blog);
    expect(comments(blog)).toHaveLength(3);
  });

  it('replies to a draft, a protected post, an unknown post or another site are dropped', async () => {
    const { blog, fake, inbox } = await setUp();
    const draftId = addPost(blog, { slug: 'not-yet' });
    const draftUrl = `${blog.origin}${blog.services.posts.permalinkOf(draftId)!}`;
    blog.services.postEditor.switchToDraft({ id: draftId, slug: 'not-yet', status: 'published' } as Post);
    const lockedId = addPost(blog, { slug: 'locked-up' });
    blog.db.prepare("UPDATE posts SET password = 'sesame' WHERE id = ?").run(lockedId);
    const lockedUrl = `${blog.origin}${blog.services.posts.permalinkOf(lockedId)!}`;
    for (const target of [draftUrl, lockedUrl, `${blog.origin}/2020/01/01/nothing-here/`, 'https://elsewhere.example/2020/01/01/post/']) {
      expect(await deliver(fake, reply(fake, target, '<p>Hello?</p>').activity, inbox)).toBe(202);
    }
    await settled(blog);
    expect(comments(blog)).toEqual([]);
  });

  it('a hostile reply (<script>, onerror, a javascript: link) is stored safe and shown safe', async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    const content = '<p>Hi<script>alert(1)</script> <img src="x" onerror="alert(2)"> <a href="javascript:alert(3)">click</a> <a href="https://ok.example/" onclick="alert(4)">ok</a></p>';
    await deliver(fake, reply(fake, postUrl, content).activity, inbox);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    const stored = comments(blog)[0].body_html;
    expect(stored).toBe('<p>Hi  <a rel="nofollow ugc">click</a> <a href="https://ok.example/" rel="nofollow ugc">ok</a></p>');
    const html = await page(postUrl);
    for (const bad of ['alert(1)', 'onerror', 'javascript:', 'onclick']) expect(html).not.toContain(bad);
  });

  it("Mastodon's mention of the blog that opens a reply is left out (nor counted as a link); other mentions and links stay", async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    const { settings } = blog.services;
    expect(settings.update({ ...settings.get(), moderationLinks: 2 }).errors).toBeUndefined();
    const mention = (href: string, name: string) => `<span class="h-card" translate="no"><a href="${href}" class="u-url mention">@<span>${name}</span></a></span>`;
    const content = `<p>${mention(`${blog.origin}/`, 'blog')} ${mention(`${fake.origin}/@bob`, 'bob')} see <a href="https://example.org/" rel="nofollow noopener" target="_blank">this</a></p>`;
    await deliver(fake, reply(fake, postUrl, content).activity, inbox);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    expect(comments(blog)[0]).toMatchObject({
      status: 'pending',
      body_html: `<p><a href="${fake.origin}/@bob" rel="nofollow ugc">@bob</a> see <a href="https://example.org/" rel="nofollow ugc">this</a></p>`,
    });
    const plain = reply(fake, postUrl, `<p>${mention(blog.services.settings.siteUrl() + '/', 'blog')} Just thanks.</p>`);
    await deliver(fake, plain.activity, inbox);
    await expect.poll(() => comments(blog).map((c) => [c.status, c.body_html]), { timeout: 5000 }).toEqual([
      ['pending', expect.any(String)],
      ['approved', '<p>Just thanks.</p>'],
    ]);
  });
});

describe('Likes and boosts are counted under the post', () => {
  it('Like and Announce show as "2 likes, 1 boost" (the kept page dropped each time); Undo takes them back; nothing shown at 0', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const line = async () => /<p class="fediverse-reactions">([^<]*)<\/p>/.exec(await page(postUrl))?.[1] ?? null;
    expect(await line()).toBeNull();
    const likes = ['alice', 'bob'].map((name) => {
      const account = fake.account(name);
      return { name, activity: { id: `${account.uri}#likes/1`, type: 'Like', actor: account.uri, object: postUrl } };
    });
    for (const { name, activity } of likes) expect(await deliver(fake, activity, inbox, { as: name })).toBe(202);
    await expect.poll(() => reactions(blog, postId), { timeout: 5000 }).toEqual({ likes: 2, boosts: 0 });
    expect(await line()).toBe('2 likes');
    const alice = fake.account('alice');
    const boost = { id: `${alice.uri}/statuses/99/activity`, type: 'Announce', actor: alice.uri, object: postUrl, to: [PUBLIC] };
    expect(await deliver(fake, boost, inbox)).toBe(202);
    await expect.poll(() => line(), { timeout: 5000 }).toBe('2 likes, 1 boost');

    // Indonesian: one form for every count.
    expect(blog.services.settings.update({ ...blog.services.settings.get(), language: 'id' }).errors).toBeUndefined();
    expect(await line()).toBe('2 suka, 1 kali dibagikan');
    expect(blog.services.settings.update({ ...blog.services.settings.get(), language: 'en' }).errors).toBeUndefined();

    // Bob undoes his Like by its id alone; alice undoes her boost with it embedded.
    const bob = fake.account('bob');
    expect(await deliver(fake, { id: `${bob.uri}#undos/1`, type: 'Undo', actor: bob.uri, object: likes[1].activity.id }, inbox, { as: 'bob' })).toBe(202);
    expect(await deliver(fake, { id: `${alice.uri}#undos/2`, type: 'Undo', actor: alice.uri, object: boost }, inbox)).toBe(202);
    await expect.poll(() => reactions(blog, postId), { timeout: 5000 }).toEqual({ likes: 1, boosts: 0 });
    expect(await line()).toBe('1 like');
    // Nobody undoes another account's Like.
    expect(await deliver(fake, { id: `${bob.uri}#undos/3`, type: 'Undo', actor: bob.uri, object: likes[0].activity }, inbox, { as: 'bob' })).toBe(202);
    await settled(blog);
    expect(reactions(blog, postId)).toEqual({ likes: 1, boosts: 0 });
    await deliver(fake, { id: `${alice.uri}#undos/4`, type: 'Undo', actor: alice.uri, object: likes[0].activity }, inbox);
    await expect.poll(() => reactions(blog, postId), { timeout: 5000 }).toEqual({ likes: 0, boosts: 0 });
    expect(await line()).toBeNull();
  });
});

describe('Inbound safety', () => {
  it('refuses (401) a reply that is unsigned, signed with another key, or altered after signing, and stores nothing', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const { activity } = reply(fake, postUrl, '<p>Forged?</p>');
    const alice = fake.account('alice');
    const like = { id: `${alice.uri}#likes/forged`, type: 'Like', actor: alice.uri, object: postUrl };
    for (const target of [inbox, `${blog.origin}/fediverse/users/blog/inbox`]) {
      for (const sent of [activity, like]) {
        expect(await deliver(fake, sent, target, { signing: 'none' })).toBe(401);
        expect(await deliver(fake, sent, target, { signing: 'wrong-key' })).toBe(401);
        expect(await deliver(fake, sent, target, { alterBody: (body) => body.replace('Forged?', 'Altered!').replace('forged', 'altered') })).toBe(401);
      }
    }
    await settled(blog);
    expect(comments(blog)).toEqual([]);
    expect(reactions(blog, postId)).toEqual({ likes: 0, boosts: 0 });
  });

  it('an activity signed by one account in another\'s name, or whose id is on another host, changes nothing', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const alice = fake.account('alice');
    const { activity } = reply(fake, postUrl, '<p>In alice\'s name</p>');
    expect(await deliver(fake, activity, inbox, { as: 'bob' })).toBe(401);
    const elsewhere = { ...reply(fake, postUrl, '<p>Id from elsewhere</p>').activity, id: 'https://elsewhere.example/activities/1' };
    expect(await deliver(fake, elsewhere, inbox)).toBeLessThan(500);
    const like = { id: 'https://elsewhere.example/likes/1', type: 'Like', actor: alice.uri, object: postUrl };
    expect(await deliver(fake, like, inbox)).toBeLessThan(500);
    await settled(blog);
    expect(comments(blog)).toEqual([]);
    expect(reactions(blog, postId)).toEqual({ likes: 0, boosts: 0 });
  });

  it('a duplicate delivery (the same activity twice, or the same Note in a second Create) makes one comment, and a second Like counts once', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const { activity } = reply(fake, postUrl, '<p>Once only.</p>');
    expect(await deliver(fake, activity, inbox)).toBe(202);
    expect(await deliver(fake, activity, inbox)).toBe(202);
    expect(await deliver(fake, { ...activity, id: `${activity.id}-again` }, inbox)).toBe(202);
    const alice = fake.account('alice');
    for (const n of [1, 2]) await deliver(fake, { id: `${alice.uri}#likes/${n}`, type: 'Like', actor: alice.uri, object: postUrl }, inbox);
    await settled(blog);
    expect(comments(blog)).toHaveLength(1);
    expect(reactions(blog, postId)).toEqual({ likes: 1, boosts: 0 });
    expect((await page(postUrl)).split('Once only.').length).toBe(2);
  });

  it('drops replies, likes and boosts from a blocked account or a blocked instance (202, nothing stored)', async () => {
    const { blog, fake, postId, postUrl, inbox } = await setUp();
    const bob = fake.account('bob');
    expect(blog.services.fediBlocks.blockAccount(`@bob@${new URL(fake.origin).hostname}`)).toBe(true);
    expect(await deliver(fake, reply(fake, postUrl, '<p>Blocked bob</p>', 'bob').activity, inbox, { as: 'bob' })).toBe(202);
    expect(await deliver(fake, { id: `${bob.uri}#likes/1`, type: 'Like', actor: bob.uri, object: postUrl }, inbox, { as: 'bob' })).toBe(202);
    await settled(blog);
    expect(comments(blog)).toEqual([]);

    expect(blog.services.fediBlocks.blockDomain(new URL(fake.origin).hostname)).toBe(true);
    const alice = fake.account('alice');
    expect(await deliver(fake, reply(fake, postUrl, '<p>Blocked instance</p>').activity, inbox)).toBe(202);
    expect(await deliver(fake, { id: `${alice.uri}#announces/1`, type: 'Announce', actor: alice.uri, object: postUrl }, inbox)).toBe(202);
    await settled(blog);
    expect(comments(blog)).toEqual([]);
    expect(reactions(blog, postId)).toEqual({ likes: 0, boosts: 0 });
  });

  it('limits deliveries per signing instance and address: a forger naming the instance from another address spends only its own budget; over the limit, 429 with Retry-After and nothing stored', async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    // Another client (127.0.0.2) names alice's key without signing anything, the limit's worth of times and one more.
    const forged = `keyId="${fake.account('alice').keyId}",algorithm="rsa-sha256"`;
    const agent = new http.Agent({ keepAlive: true, localAddress: '127.0.0.2' });
    const forge = () => new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...reply(fake!, postUrl, '<p>Forged.</p>').activity });
      http.request(inbox, { method: 'POST', agent, headers: { 'content-type': 'application/activity+json', signature: forged } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject).end(body);
    });
    try {
      const statuses = [];
      for (let i = 0; i <= INBOX_LIMIT.points; i++) statuses.push(await forge());
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([401]));
      expect(statuses.at(-1)).toBe(429);
    } finally {
      agent.destroy();
    }
    // The instance's own deliveries still pass, until its own budget is spent.
    expect(await deliver(fake, reply(fake, postUrl, '<p>Genuine.</p>').activity, inbox)).toBe(202);
    await sqliteLimiters(blog.db)(INBOX_LIMIT).consume(inboxLimitKey(forged, '127.0.0.1'), INBOX_LIMIT.points - 2);
    expect(await deliver(fake, reply(fake, postUrl, '<p>Last one in.</p>').activity, inbox)).toBe(202);
    const refused = await fake.send(reply(fake, postUrl, '<p>One too many.</p>').activity, inbox);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await settled(blog);
    expect(comments(blog).map((c) => c.body_html)).toEqual(['<p>Genuine.</p>', '<p>Last one in.</p>']);
    // An unsigned request from the same address is counted apart (and refused as unsigned).
    expect(await deliver(fake, reply(fake, postUrl, '<p>x</p>').activity, inbox, { signing: 'none' })).toBe(401);
  });

  it('with private addresses refused (as in production) a correctly signed reply from the fake on 127.0.0.1 is refused and stores nothing', async () => {
    const { blog, fake, postUrl, inbox } = await setUp({ allowPrivateAddress: false });
    expect(await deliver(fake, reply(fake, postUrl, '<p>From loopback.</p>').activity, inbox)).toBe(401);
    await settled(blog);
    expect(comments(blog)).toEqual([]);
  });

  it('a rotated key: the cached one fails, the blog fetches the actor again once and accepts the reply', async () => {
    const { blog, fake, postUrl, inbox } = await setUp();
    await deliver(fake, reply(fake, postUrl, '<p>Before rotation.</p>').activity, inbox);
    await expect.poll(() => comments(blog), { timeout: 5000 }).toHaveLength(1);
    const cachedKeys = () => blog.db.prepare("SELECT value FROM fedi_kv WHERE key LIKE '%publicKey%' OR key LIKE '%main-key%'").pluck().all() as string[];
    const before = cachedKeys();
    expect(before.length).toBeGreaterThan(0);
    fake.rotateKey('alice');
    expect(await deliver(fake, reply(fake, postUrl, '<p>After rotation.</p>').activity, inbox)).toBe(202);
    await expect.poll(() => comments(blog).map((c) => c.body_html), { timeout: 5000 }).toEqual(['<p>Before rotation.</p>', '<p>After rotation.</p>']);
    expect(cachedKeys()).not.toEqual(before);
  });
});
