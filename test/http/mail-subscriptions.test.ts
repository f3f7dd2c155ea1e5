import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/container.js';
import { adminAgent, editor } from '../support/admin.js';
import { addPost, makeTestApp, recordingLogger, SEED_PATH, TEST_SECRET, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

let server: TestSmtpServer;
let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let written = 0;
let errors: unknown[] = [];

beforeEach(async () => {
  server = await startSmtpServer();
  clock = manualClock();
  const log = recordingLogger('error');
  errors = log.lines;
  t = makeTestApp({ env: { SMTP_URL: server.url }, now: clock.now, mailBackoffMs: [20, 20, 20], logger: log.logger });
});
afterEach(async () => {
  // Nothing a test did answered 500.
  expect(errors).toEqual([]);
  t.close();
  await server.close();
});

/** The kinds of message queued for an address, oldest first (queuing is synchronous: the request has done it). */
const queued = (address: string) => t.db.prepare('SELECT kind FROM outbox WHERE recipient = ? ORDER BY id').pluck().all(address) as string[];
const lastText = (address: string, kind: string) =>
  t.db.prepare('SELECT text FROM outbox WHERE recipient = ? AND kind = ? ORDER BY id DESC LIMIT 1').pluck().get(address, kind) as string;
/** A header as it came over the wire (unfolded); mailparser groups the List-* ones into an object. */
const header = (raw: string, name: string) =>
  new RegExp(`^${name}:(.*(?:\r\n[ \t].*)*)`, 'im').exec(raw.slice(0, raw.indexOf('\r\n\r\n')))?.[1].replace(/\r\n[ \t]+/g, ' ').trim();
const arrived = (address: string) => server.received.filter((m) => m.to.includes(address));

async function until(check: () => boolean, what: string) {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A guest comments on a post with the email boxes as given, as a browser sends the form. */
async function comment(email: string, boxes: { followUps?: boolean; newPosts?: boolean } = {}, path = SEED_PATH) {
  written += 1;
  const agent = request.agent(t.app);
  const page = await agent.get(path).expect(200);
  clock.advance(60);
  return agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({
    ...formFields(page.text), author: `Reader ${written}`, email, comment: `Comment number ${written}`,
    ...(boxes.followUps ? { subscribe_comments: 'yes' } : {}), ...(boxes.newPosts ? { subscribe_blog: 'yes' } : {}),
  }).expect(303);
}

const commentId = (email: string) => t.db.prepare('SELECT max(id) FROM comments WHERE author_email = ?').pluck().get(email) as number;
const path = (url: string) => new URL(url).pathname;
const link = (text: string, kind: 'confirm' | 'manage' | 'unsubscribe') => new RegExp(`http://blog\\.test(/subscriptions/${kind}/[\\w-]+/)`).exec(text)?.[1] ?? '';

/** Subscribes an address by the form and confirms by the link in its message. */
async function subscribed(email: string, boxes: { followUps?: boolean; newPosts?: boolean }) {
  await comment(email, boxes);
  await request(t.app).post(link(lastText(email, 'subscription-confirm'), 'confirm')).set('Sec-Fetch-Site', 'same-origin').expect(200);
}

describe('subscribing from the comment form', () => {
  it('offers the two boxes only when email is on, on a page that stays cacheable', async () => {
    const page = await request(t.app).get(SEED_PATH).expect(200);
    expect(page.text).toContain('Notify me of follow-up comments by email.');
    expect(page.text).toContain('name="subscribe_blog"');
    expect(page.headers['cache-control']).toMatch(/^public/);
    const off = makeTestApp();
    try {
      expect((await request(off.app).get(SEED_PATH).expect(200)).text).not.toContain('subscribe_comments');
    } finally {
      off.close();
    }
  });

  it('sends exactly one confirmation, nothing else until it is confirmed by POST (a GET changes nothing), then the approved comments of others', async () => {
    const { agent, csrf } = await adminAgent(t);
    await comment('ani@example.org', { followUps: true, newPosts: true });
    expect(queued('ani@example.org')).toEqual(['subscription-confirm']);
    await until(() => arrived('ani@example.org').length === 1, 'the confirmation');
    const [confirmation] = arrived('ani@example.org');
    expect(confirmation.parsed.subject).toContain('Confirm your subscription');
    expect(confirmation.parsed.text).toContain('New comments on “Trend life style');
    expect(confirmation.parsed.text).toContain('New posts on this site');
    expect(confirmation.parsed.html).toContain('/subscriptions/confirm/');
    expect(header(confirmation.raw, 'List-Unsubscribe')).toBeUndefined();

    // Another reader's comment approved before the confirmation: Ani hears nothing of it.
    await comment('budi@example.org');
    await agent.post(`/admin/comments/${commentId('budi@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    const confirmPath = link(confirmation.parsed.text ?? '', 'confirm');
    const asked = await request(t.app).get(confirmPath).expect(200);
    expect(asked.headers['cache-control']).toBe('private, no-store');
    expect(asked.text).toContain(`<form method="post" action="${confirmPath}">`);
    await comment('citra@example.org');
    await agent.post(`/admin/comments/${commentId('citra@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm']);

    const confirmed = await request(t.app).post(confirmPath).set('Sec-Fetch-Site', 'same-origin').expect(200);
    expect(confirmed.text).toContain('This address now receives:');
    expect(confirmed.text).toContain('New posts on this site');
    await request(t.app).post(confirmPath).set('Sec-Fetch-Site', 'same-origin').expect(404);

    await comment('dewi@example.org');
    await agent.post(`/admin/comments/${commentId('dewi@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-comment']);
    await until(() => arrived('ani@example.org').length === 2, 'the new comment');
    const { parsed: notice, raw } = arrived('ani@example.org')[1];
    expect(notice.subject).toContain('New comment on “Trend life style');
    expect(notice.text).toContain(`Comment number ${written}`);
    expect(notice.html).toContain(`Comment number ${written}`);
    expect(header(raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/blog\.test\/subscriptions\/unsubscribe\/[\w-]+\/>$/);
    expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(notice.text).toContain('/subscriptions/manage/');
  });

  it('never sends a subscriber their own comment, and a held one reaches nobody until approved or answered in the admin', async () => {
    const { agent, csrf } = await adminAgent(t);
    await subscribed('ani@example.org', { followUps: true });
    await subscribed('budi@example.org', { followUps: true });
    await agent.post(`/admin/comments/${commentId('ani@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm']);
    expect(queued('budi@example.org')).toEqual(['subscription-confirm', 'new-comment']);

    await comment('citra@example.org');
    const held = commentId('citra@example.org');
    expect(queued('budi@example.org')).toEqual(['subscription-confirm', 'new-comment']);
    // Replying approves the held comment: both it and the reply reach each subscriber.
    await agent.post(`/admin/comments/${held}/reply/`).type('form').send({ _csrf: csrf, text: 'Thank you, Citra.' }).expect(303);
    expect(queued('budi@example.org')).toEqual(['subscription-confirm', 'new-comment', 'new-comment', 'new-comment']);
    expect(lastText('budi@example.org', 'new-comment')).toContain('Thank you, Citra.');
  });
});

describe('in Indonesian', () => {
  it('says the boxes, the messages and the pages in the site’s language', async () => {
    t.services.settings.update({ language: 'id' });
    expect((await request(t.app).get(SEED_PATH).expect(200)).text).toContain('Beri tahu saya komentar lanjutan melalui email.');
    await comment('ani@example.org', { followUps: true });
    await until(() => arrived('ani@example.org').length === 1, 'the confirmation');
    const { parsed } = arrived('ani@example.org')[0];
    expect(parsed.subject).toBe('Konfirmasi langganan Anda di IMers Blog');
    expect(parsed.text).toContain('Komentar baru pada “Trend life style');
    const confirm = link(parsed.text ?? '', 'confirm');
    expect((await request(t.app).get(confirm).expect(200)).text).toContain('Konfirmasikan bahwa alamat ini akan menerima:');
    expect((await request(t.app).post(confirm).set('Sec-Fetch-Site', 'same-origin').expect(200)).text).toContain('Alamat ini sekarang menerima:');
  });
});

describe('new posts', () => {
  it('reach new-post subscribers once, published now or when a scheduled post goes live', async () => {
    const { agent, csrf } = await adminAgent(t);
    await subscribed('ani@example.org', { newPosts: true });
    await subscribed('budi@example.org', { followUps: true });
    const now = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Kabar baru', status: 'published', markdown: 'Isi **kabar**.' })).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-post']);
    expect(lastText('ani@example.org', 'new-post')).toContain('Kabar baru');
    expect(queued('budi@example.org')).toEqual(['subscription-confirm']);

    const id = /\/admin\/posts\/(\d+)\//.exec(now.headers.location)![1];
    await agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({ _csrf: csrf }).expect(303);
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({ _csrf: csrf, title: 'Kabar baru', status: 'published', markdown: 'Lagi.' })).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-post']);

    await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Besok pagi', status: 'scheduled', publish_at: '2026-06-02T08:00', markdown: 'Terbit sendiri.' })).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-post']);
    clock.advance(2 * 86400);
    await request(t.app).get('/').expect(200);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-post', 'new-post']);
    expect(lastText('ani@example.org', 'new-post')).toContain('Besok pagi');
    await until(() => arrived('ani@example.org').length === 3, 'the new posts');
    expect(header(arrived('ani@example.org')[2].raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });
});

describe('unsubscribing', () => {
  it('ends a subscription with a one-click POST from anywhere, while a GET of the same address only asks', async () => {
    const { agent, csrf } = await adminAgent(t);
    await subscribed('ani@example.org', { followUps: true });
    await comment('budi@example.org');
    await agent.post(`/admin/comments/${commentId('budi@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    const unsubscribe = path(t.db.prepare("SELECT unsubscribe_url FROM outbox WHERE recipient = 'ani@example.org' AND kind = 'new-comment'").pluck().get() as string);

    const asked = await request(t.app).get(unsubscribe).expect(200);
    expect(asked.text).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(asked.headers['cache-control']).toBe('private, no-store');
    await comment('citra@example.org');
    await agent.post(`/admin/comments/${commentId('citra@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-comment', 'new-comment']);

    await request(t.app).post(unsubscribe).set('Sec-Fetch-Site', 'cross-site').type('form').send('List-Unsubscribe=Nope').expect(400);
    const done = await request(t.app).post(unsubscribe).set('Sec-Fetch-Site', 'cross-site').type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('You will no longer receive: New comments on');
    // The multipart body some mail providers send, for another subscriber's link.
    await subscribed('budi@example.org', { followUps: true });
    await comment('eka@example.org');
    await agent.post(`/admin/comments/${commentId('eka@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    const budis = path(t.db.prepare("SELECT unsubscribe_url FROM outbox WHERE recipient = 'budi@example.org' AND kind = 'new-comment'").pluck().get() as string);
    await request(t.app).post(budis).field('List-Unsubscribe', 'One-Click').expect(200);
    await request(t.app).post(budis).set('Content-Type', 'multipart/form-data; boundary=x').send('--x\r\nbroken').expect(400);
    await comment('dewi@example.org');
    await agent.post(`/admin/comments/${commentId('dewi@example.org')}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(queued('ani@example.org')).toEqual(['subscription-confirm', 'new-comment', 'new-comment']);
    expect(queued('budi@example.org')).toEqual(['subscription-confirm', 'new-comment']);
  });

  it('lists only the holder’s own subscriptions, ends one, and "unsubscribe from everything" means never written to again', async () => {
    await subscribed('ani@example.org', { followUps: true, newPosts: true });
    await subscribed('budi@example.org', { followUps: true, newPosts: true });
    const manage = link(lastText('ani@example.org', 'subscription-confirm'), 'manage');
    const page = await request(t.app).get(manage).expect(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.text).toContain('ani@example.org');
    expect(page.text).not.toContain('budi@example.org');
    expect(page.text).toContain('New posts on this site');
    const postsId = /<li>New posts on this site[\s\S]*?name="id" value="(\d+)"/.exec(page.text)![1];

    const after = await request(t.app).post(`${manage}unsubscribe/`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ id: postsId }).expect(200);
    expect(after.text).toContain('Unsubscribed.');
    expect(after.text).not.toContain('New posts on this site');
    expect(after.text).toContain('New comments on');
    // Another address's subscription id does nothing on this page.
    const budiManage = link(lastText('budi@example.org', 'subscription-confirm'), 'manage');
    const budiIds = [...(await request(t.app).get(budiManage)).text.matchAll(/name="id" value="(\d+)"/g)].map((m) => m[1]);
    await request(t.app).post(`${manage}unsubscribe/`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ id: budiIds[0] }).expect(200);
    expect([...(await request(t.app).get(budiManage)).text.matchAll(/name="id" value="(\d+)"/g)].map((m) => m[1])).toEqual(budiIds);

    await request(t.app).post(`${manage}everything/`).set('Sec-Fetch-Site', 'same-origin').expect(200);
    expect(t.db.prepare("SELECT reason FROM mail_suppressions WHERE address = 'ani@example.org'").pluck().get()).toBe('unsubscribed');
    expect((await request(t.app).get(manage).expect(200)).text).toContain('This address receives nothing from this site.');
    await comment('ani@example.org', { followUps: true });
    expect(queued('ani@example.org')).toEqual(['subscription-confirm']);
  });

  it('answers an unknown or malformed token with a clear 404 page, and a cross-site POST to the manage page is refused', async () => {
    await subscribed('ani@example.org', { followUps: true });
    const manage = link(lastText('ani@example.org', 'subscription-confirm'), 'manage');
    for (const bad of ['/subscriptions/manage/nope/', `/subscriptions/confirm/${'a'.repeat(32)}/`, '/subscriptions/unsubscribe/%00/']) {
      expect((await request(t.app).get(bad).expect(404)).text).toContain('This link is no longer valid');
    }
    await request(t.app).post(`${manage}everything/`).set('Sec-Fetch-Site', 'cross-site').expect(403);
    await request(t.app).post(`${manage}unsubscribe/`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ id: 'x' }).expect(400);
    expect(t.db.prepare('SELECT count(*) FROM mail_suppressions').pluck().get()).toBe(0);
  });
});

describe('limits on confirmations', () => {
  it('sends at most 3 a day to one address, counted across a restart, and the visitor sees the same answer', async () => {
    const posts = ['satu', 'dua', 'tiga', 'empat'].map((slug) => addPost(t, { slug }));
    const postPath = (id: number) => t.services.posts.permalinkOf(id)!;
    for (const p of posts.slice(0, 2)) await comment('victim@example.org', { followUps: true }, postPath(p));
    // A restart: new services over the same database file keep the count.
    const again = createServices(t.db, t.config, TEST_SECRET, clock.now);
    const post = posts[2];
    const token = again.comments.formToken(post);
    clock.advance(60);
    again.comments.submit({ postId: String(post), parentId: '0', name: 'V', email: 'victim@example.org', url: '', text: 'Third', honeypot: '', formToken: token, ip: '10.1.1.1', userAgent: 't', wishes: { followUps: true, newPosts: false } });
    expect(queued('victim@example.org')).toHaveLength(3);
    // The same answer as any comment's (checked in `comment`): nothing says whether a confirmation was sent.
    await comment('victim@example.org', { followUps: true }, postPath(posts[3]));
    expect(queued('victim@example.org')).toHaveLength(3);
    expect(t.db.prepare("SELECT count(*) FROM comments WHERE author_email = 'victim@example.org'").pluck().get()).toBe(4);

    clock.advance(86400);
    await comment('victim@example.org', { newPosts: true });
    expect(queued('victim@example.org')).toHaveLength(4);
  });

  it('sends at most 10 an hour for one post', async () => {
    for (let i = 1; i <= 11; i++) await comment(`reader${i}@example.org`, { followUps: true });
    const confirmations = t.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'subscription-confirm'").pluck().get();
    // 11 comments a minute apart: all within the hour.
    expect(confirmations).toBe(10);
    expect(queued('reader11@example.org')).toEqual([]);
  });
});
