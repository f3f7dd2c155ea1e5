import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommentInput } from '../../src/services/comments.js';
import { adminAgent, createAccount, logIn } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let seedId: number;
let visitor: number;
beforeEach(() => {
  visitor = 0;
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  seedId = t.db.prepare("SELECT id FROM posts WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").pluck().get() as number;
});
afterEach(() => t.close());

/** A first-time guest's comment through the comments service: held for moderation. */
function guestComment(fields: Partial<CommentInput> = {}): number {
  visitor += 1;
  const formToken = t.services.comments.formToken();
  clock.advance(30);
  const result = t.services.comments.submit({
    postId: String(seedId), parentId: '0', name: `Guest ${visitor}`, email: `guest${visitor}@example.org`, url: '',
    text: `Words of guest ${visitor}`, honeypot: '', formToken, ip: `10.0.0.${visitor}`, userAgent: 'test', ...fields,
  });
  if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
  return result.comment.id;
}

const statusOf = (id: number) => t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(id);
const readerPage = async (path = SEED_PATH) => (await request(t.app).get(path).expect(200)).text;

describe('GET /admin/comments/', () => {
  it('lists a held comment with its author, email, IP, text, post and a Pending marker, with counts per filter', async () => {
    const id = guestComment({ text: 'Held <b>words</b>', url: 'https://ani.example.org' });
    const spam = guestComment();
    t.services.moderation.apply('spam', spam);
    const { agent } = await adminAgent(t);
    const res = await agent.get('/admin/comments/').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Guest 1');
    expect(res.text).toContain('guest1@example.org');
    expect(res.text).toContain('10.0.0.1');
    expect(res.text).toContain('Held <b>words</b>');
    expect(res.text).toContain('<p class="status">Pending</p>');
    expect(res.text).toContain(`href="/admin/posts/${seedId}/edit/"`);
    expect(res.text).toContain(`href="${SEED_PATH}"`);
    expect(res.text).toMatch(/All <span class="count">\(1\)<\/span>/);
    expect(res.text).toMatch(/Pending <span class="count">\(1\)<\/span>/);
    expect(res.text).toMatch(/Spam <span class="count">\(1\)<\/span>/);
    expect(res.text).toMatch(/Trash <span class="count">\(0\)<\/span>/);
    // "All" leaves spam out, as WordPress does; the Spam filter shows it.
    expect(res.text).not.toContain('Words of guest 2');
    expect((await agent.get('/admin/comments/?status=spam')).text).toContain('Words of guest 2');
    expect(res.text).toContain(`formaction="/admin/comments/${id}/approve/"`);
  });

  it('names the login provider of an account commenter and links to their profile', async () => {
    t.services.settings.update({ requirePreviouslyApproved: false } as never);
    const commenter = t.services.commenters.signIn({ provider: 'twitter', id: '42', displayName: 'Budi', profileUrl: 'https://twitter.com/budi' })!;
    guestComment({ commenter });
    const { agent } = await adminAgent(t);
    const res = await agent.get('/admin/comments/').expect(200);
    expect(res.text).toContain('Budi');
    expect(res.text).toContain('<a href="https://twitter.com/budi" rel="external noopener noreferrer">Twitter profile</a>');
  });

  it('shows 20 comments a page, newest first, and the next page', async () => {
    for (let i = 0; i < 21; i += 1) guestComment();
    const { agent } = await adminAgent(t);
    const first = await agent.get('/admin/comments/?status=pending').expect(200);
    expect(first.text).toContain('Words of guest 21<');
    expect(first.text).not.toContain('Words of guest 1<');
    expect(first.text).toContain('Page 1 of 2');
    const second = await agent.get('/admin/comments/?status=pending&page=2').expect(200);
    expect(second.text).toContain('Words of guest 1<');
    expect(second.text).not.toContain('Words of guest 2<');
  });

  it('narrows the list to one post', async () => {
    const other = addPost(t, { slug: 'another-post' });
    guestComment();
    guestComment({ postId: String(other) });
    const { agent } = await adminAgent(t);
    const res = await agent.get(`/admin/comments/?post=${other}`).expect(200);
    expect(res.text).toContain('Comments on “');
    expect(res.text).toContain('Words of guest 2');
    expect(res.text).not.toContain('Words of guest 1');
    await agent.get('/admin/comments/?post=9999').expect(404);
    await agent.get('/admin/comments/?post=abc').expect(400);
  });

  it('answers odd filters and pages with the list, not an error', async () => {
    guestComment();
    const { agent } = await adminAgent(t);
    for (const query of ['?status=bogus', '?page=abc', '?page=999', '?status=constructor', '?status[]=spam']) {
      const res = await agent.get(`/admin/comments/${query}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Words of guest 1');
    }
  });
});

describe('POST /admin/comments/:id/:action/', () => {
  it('approves a comment posted through the form, so readers see it, and unapproves it again', async () => {
    const posted = await submitComment(t, clock, { comment: 'From the real form' });
    expect(posted.status).toBe(303);
    expect(await readerPage()).not.toContain('From the real form');
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/comments/1/approve/?status=pending&page=1').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/comments/?status=pending&did=approve&n=1');
    expect((await agent.get(res.headers.location)).text).toContain('Comment approved.');
    expect(await readerPage()).toContain('From the real form');
    await agent.post('/admin/comments/1/unapprove/').type('form').send({ _csrf: csrf }).expect(303);
    expect(await readerPage()).not.toContain('From the real form');
  });

  it('moves a comment to spam and back, to the trash and back, and each time readers see the change', async () => {
    const id = guestComment({ text: 'Moved around' });
    const { agent, csrf } = await adminAgent(t);
    const act = async (action: string) => {
      const res = await agent.post(`/admin/comments/${id}/${action}/`).type('form').send({ _csrf: csrf });
      expect(res.status).toBe(303);
      return (await agent.get(res.headers.location)).text;
    };
    await act('approve');
    expect(await readerPage()).toContain('Moved around');
    expect(await act('spam')).toContain('Comment marked as spam.');
    expect(await readerPage()).not.toContain('Moved around');
    expect(await act('not-spam')).toContain('Comment restored from spam.');
    expect(statusOf(id)).toBe('approved'); // back to what it was before
    expect(await readerPage()).toContain('Moved around');
    expect(await act('trash')).toContain('Comment moved to the Trash.');
    expect(await readerPage()).not.toContain('Moved around');
    const trash = (await agent.get('/admin/comments/?status=trash')).text;
    expect(trash).toContain('Moved around');
    expect(trash).toContain(`formaction="/admin/comments/${id}/restore/?status=trash"`);
    expect(trash).toContain(`href="/admin/comments/${id}/delete/?status=trash"`);
    expect(await act('restore')).toContain('Comment restored from the Trash.');
    expect(statusOf(id)).toBe('approved');
    expect(await readerPage()).toContain('Moved around');
  });

  it('deletes permanently only after a confirmation page', async () => {
    const id = guestComment({ text: 'Going for good' });
    t.services.moderation.apply('trash', id);
    const { agent, csrf } = await adminAgent(t);
    const confirm = await agent.get(`/admin/comments/${id}/delete/?status=trash`).expect(200);
    expect(confirm.text).toContain('permanently?');
    expect(confirm.text).toContain('Going for good');
    expect(confirm.text).toContain(`action="/admin/comments/${id}/delete/?status=trash"`);
    expect(statusOf(id)).toBe('trash');
    const res = await agent.post(`/admin/comments/${id}/delete/?status=trash`).type('form').send({ _csrf: csrf });
    expect(res.headers.location).toBe('/admin/comments/?status=trash&did=delete&n=1');
    expect(statusOf(id)).toBeUndefined();
    const list = (await agent.get(res.headers.location)).text;
    expect(list).toContain('Comment permanently deleted.');
    expect(list).not.toContain('Going for good');
  });

  it('answers 404 for an unknown comment or action, and refuses posts without the form token', async () => {
    const id = guestComment();
    const { agent, csrf } = await adminAgent(t);
    await agent.post('/admin/comments/999/approve/').type('form').send({ _csrf: csrf }).expect(404);
    await agent.post('/admin/comments/abc/approve/').type('form').send({ _csrf: csrf }).expect(404);
    await agent.post(`/admin/comments/${id}/publish/`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.post(`/admin/comments/${id}/constructor/`).type('form').send({ _csrf: csrf }).expect(404);
    await agent.get('/admin/comments/999/edit/').expect(404);
    await agent.post(`/admin/comments/${id}/approve/`).type('form').send({}).expect(403);
    await agent.post(`/admin/comments/${id}/approve/`).type('form').send({ _csrf: 'forged' }).expect(403);
    expect(statusOf(id)).toBe('pending');
  });

  it('sends anonymous visitors to the login and refuses their posts', async () => {
    const id = guestComment();
    const page = await request(t.app).get('/admin/comments/?status=pending');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/admin/login/?next=%2Fadmin%2Fcomments%2F%3Fstatus%3Dpending');
    await request(t.app).post(`/admin/comments/${id}/approve/`).type('form').send({}).expect(403);
    await request(t.app).post('/admin/comments/bulk/').type('form').send({ action: 'approve', ids: String(id) }).expect(403);
    expect(statusOf(id)).toBe('pending');
  });
});

describe('POST /admin/comments/bulk/', () => {
  it('approves several comments at once', async () => {
    const ids = [guestComment(), guestComment(), guestComment()];
    const left = guestComment();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/comments/bulk/?status=pending').type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&action=approve&${ids.map((id) => `ids=${id}`).join('&')}`);
    expect(res.status).toBe(303);
    const list = (await agent.get(res.headers.location)).text;
    expect(list).toContain('3 comments approved.');
    expect(list).toMatch(/Pending <span class="count">\(1\)<\/span>/);
    expect(list).toMatch(/Approved <span class="count">\(3\)<\/span>/);
    const reader = await readerPage();
    for (const n of [1, 2, 3]) expect(reader).toContain(`Words of guest ${n}`);
    expect(statusOf(left)).toBe('pending');
  });

  it('asks before deleting several comments permanently', async () => {
    const ids = [guestComment(), guestComment()];
    for (const id of ids) t.services.moderation.apply('spam', id);
    const { agent, csrf } = await adminAgent(t);
    const body = `_csrf=${encodeURIComponent(csrf)}&action=delete&${ids.map((id) => `ids=${id}`).join('&')}`;
    const confirm = await agent.post('/admin/comments/bulk/?status=spam').type('form').send(body).expect(200);
    expect(confirm.text).toContain('these 2 comments');
    expect(ids.map(statusOf)).toEqual(['spam', 'spam']);
    const done = await agent.post('/admin/comments/bulk/?status=spam').type('form').send(`${body}&confirmed=yes`).expect(303);
    expect((await agent.get(done.headers.location)).text).toContain('2 comments permanently deleted.');
    expect(ids.map(statusOf)).toEqual([undefined, undefined]);
  });

  it('answers odd ids and actions with 4xx or a notice, never an error page', async () => {
    const id = guestComment();
    const { agent, csrf } = await adminAgent(t);
    const brackets = await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=approve&ids[]=abc`);
    expect(brackets.status).toBe(303);
    expect((await agent.get(brackets.headers.location)).text).toContain('Choose a bulk action and at least one comment.');
    await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=approve&ids=abc`).expect(400);
    await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=approve&ids=${id}&ids=1e3`).expect(400);
    await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=explode&ids=${id}`).expect(400);
    await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=approve&ids=99999`).expect(303);
    expect(statusOf(id)).toBe('pending');
  });
});

describe('GET and POST /admin/comments/:id/reply/', () => {
  it('approves a held comment and publishes the reply threaded under it, under the admin’s name', async () => {
    const parent = guestComment({ text: 'A question' });
    const { agent, csrf } = await adminAgent(t);
    const form = await agent.get(`/admin/comments/${parent}/reply/?status=pending`).expect(200);
    expect(form.text).toContain('A question');
    expect(form.text).toContain('Approve and reply');
    const res = await agent.post(`/admin/comments/${parent}/reply/?status=pending`).type('form')
      .send({ _csrf: csrf, text: 'An <em>answer</em><script>alert(1)</script>' });
    expect(res.status).toBe(303);
    expect((await agent.get(res.headers.location)).text).toContain('Reply published.');
    const reply = t.db.prepare('SELECT id, parent_id AS parentId, status, author_name AS name FROM comments WHERE id <> ?').get(parent);
    expect(reply).toMatchObject({ parentId: parent, status: 'approved', name: 'The administrator' });
    expect(statusOf(parent)).toBe('approved');
    const reader = await readerPage();
    expect(reader).toMatch(new RegExp(`<li id="comment-${parent}"[\\s\\S]*?<ol class="children">\\s*<li id="comment-${(reply as { id: number }).id}"`));
    expect(reader).toContain('An <em>answer</em>');
    expect(reader).not.toContain('alert(1)');
  });

  it('replies to the deepest ancestor the thread depth allows', async () => {
    t.services.settings.update({ threadDepth: 2 } as never);
    const top = guestComment();
    t.services.moderation.apply('approve', top);
    const second = guestComment({ parentId: String(top) });
    t.services.moderation.apply('approve', second);
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/comments/${second}/reply/`).type('form').send({ _csrf: csrf, text: 'Deep answer' }).expect(303);
    expect(t.db.prepare("SELECT parent_id FROM comments WHERE body_html LIKE '%Deep answer%'").pluck().get()).toBe(top);
  });

  it('keeps the text and answers 422 when the reply is empty, leaving the held comment held', async () => {
    const parent = guestComment();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post(`/admin/comments/${parent}/reply/`).type('form').send({ _csrf: csrf, text: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Please type your reply.');
    const script = await agent.post(`/admin/comments/${parent}/reply/`).type('form').send({ _csrf: csrf, text: '<script>x()</script>' });
    expect(script.status).toBe(422);
    expect(script.text).toContain('&lt;script&gt;x()&lt;/script&gt;</textarea>');
    expect(statusOf(parent)).toBe('pending');
    const arrays = await agent.post(`/admin/comments/${parent}/reply/`).type('form').send(`_csrf=${encodeURIComponent(csrf)}&text=a&text=b`);
    expect(arrays.status).toBe(422);
  });

  it('refuses to reply to spam until it is restored', async () => {
    const parent = guestComment();
    t.services.moderation.apply('spam', parent);
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post(`/admin/comments/${parent}/reply/`).type('form').send({ _csrf: csrf, text: 'Hello' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Restore this comment before replying to it.');
    expect(res.text).toContain('>Hello</textarea>');
  });
});

describe('GET and POST /admin/comments/:id/edit/', () => {
  it('shows the stored text and sanitizes what is saved again', async () => {
    const id = guestComment({ text: 'First line\nsecond & <b>bold</b>' });
    t.services.moderation.apply('approve', id);
    const { agent, csrf } = await adminAgent(t);
    const form = await agent.get(`/admin/comments/${id}/edit/`).expect(200);
    expect(form.text).toContain('>First line\nsecond &amp;amp; &lt;b&gt;bold&lt;/b&gt;</textarea>');
    expect(form.text).toContain('value="guest1@example.org"');
    const res = await agent.post(`/admin/comments/${id}/edit/?status=approved`).type('form').send({
      _csrf: csrf, name: 'Ani', email: 'ani@example.org', url: 'ani.example.org',
      text: 'Edited <a href="https://example.org" onclick="steal()">link</a><script>alert(1)</script>',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/comments/?status=approved&did=edit');
    const reader = await readerPage();
    expect(reader).toContain('Edited <a href="https://example.org" rel="nofollow ugc">link</a>');
    expect(reader).not.toContain('onclick');
    expect(reader).not.toContain('alert(1)');
    expect(reader).toContain('<a href="http://ani.example.org/" rel="external nofollow ugc">Ani</a>');
  });

  it('keeps the input and answers 422 on a mistake', async () => {
    const id = guestComment({ text: 'Original' });
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post(`/admin/comments/${id}/edit/`).type('form')
      .send({ _csrf: csrf, name: 'Ani', email: 'not an email', url: 'javascript:alert(1)', text: 'Kept text' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Please enter a valid email address, or none.');
    expect(res.text).toContain('Please enter a website address');
    expect(res.text).toContain('value="not an email"');
    expect(res.text).toContain('>Kept text</textarea>');
    const empty = await agent.post(`/admin/comments/${id}/edit/`).type('form').send({ _csrf: csrf, name: '', text: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Please type the comment text.');
    const huge = await agent.post(`/admin/comments/${id}/edit/`).type('form').send({ _csrf: csrf, name: 'Ani', text: 'x'.repeat(70_000) });
    expect(huge.status).toBe(422);
    expect(t.db.prepare('SELECT body_html FROM comments WHERE id = ?').pluck().get(id)).toBe('<p>Original</p>');
  });
});

describe('an author in /admin/comments/', () => {
  it('moderates the comments on their own posts only, and sees no IP addresses', async () => {
    const author = createAccount(t, 'author', 'writer@example.org', 'The writer');
    const own = addPost(t, { slug: 'writers-post', authorId: author.id });
    const theirs = guestComment({ postId: String(own), text: 'On the writer’s post' });
    const others = guestComment({ text: 'On someone else’s post' });
    const { agent, csrf } = await logIn(t, 'writer@example.org');

    const list = await agent.get('/admin/comments/').expect(200);
    expect(list.text).toContain('On the writer’s post');
    expect(list.text).toContain('guest1@example.org');
    expect(list.text).not.toContain('10.0.0.1');
    expect(list.text).not.toContain('On someone else’s post');
    expect(list.text).toMatch(/All <span class="count">\(1\)<\/span>/);

    for (const path of ['approve/', 'spam/', 'delete/']) {
      await agent.post(`/admin/comments/${others}/${path}`).type('form').send({ _csrf: csrf }).expect(403);
    }
    for (const path of ['reply/', 'edit/', 'delete/']) await agent.get(`/admin/comments/${others}/${path}`).expect(403);
    await agent.post(`/admin/comments/${others}/reply/`).type('form').send({ _csrf: csrf, text: 'Hi' }).expect(403);
    await agent.post(`/admin/comments/${others}/edit/`).type('form').send({ _csrf: csrf, name: 'X', text: 'Hi' }).expect(403);
    await agent.get(`/admin/comments/?post=${seedId}`).expect(403);
    await agent.post('/admin/comments/bulk/').type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&action=approve&ids=${theirs}&ids=${others}`).expect(403);
    expect([statusOf(theirs), statusOf(others)]).toEqual(['pending', 'pending']);

    await agent.post(`/admin/comments/${theirs}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(await readerPage(t.services.posts.permalinkOf(own)!)).toContain('On the writer’s post');
  });
});
