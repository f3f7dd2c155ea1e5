import { describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { freshAppEachTest, guestComment, readerPage, statusOf, t } from '../support/admin-comments.js';

freshAppEachTest();

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

  it('saves a nameless comment when readers need not give a name, and the thread calls it Anonymous', async () => {
    expect(t.services.settings.update({ requireNameEmail: false })).toEqual({});
    const id = guestComment({ text: 'Tanpa nama' });
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/comments/${id}/edit/`).type('form').send({ _csrf: csrf, name: '', text: 'Tanpa nama' }).expect(303);
    await agent.post(`/admin/comments/${id}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(t.db.prepare('SELECT author_name FROM comments WHERE id = ?').pluck().get(id)).toBe('');
    expect(await readerPage()).toContain('<b class="comment-author">Anonymous</b>');
  });
});
