import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { clock, freshAppEachTest, guestComment, readerPage, statusOf, t } from '../support/admin-comments.js';
import { submitComment } from '../support/comments.js';

freshAppEachTest();

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

  it('sends a comment outside the Trash and Spam to the Trash when asked to delete it, as WordPress does, asking nothing', async () => {
    const id = guestComment();
    t.services.moderation.apply('approve', id);
    const { agent, csrf } = await adminAgent(t);
    // No list offers it; a crafted form or address does.
    await agent.get(`/admin/comments/${id}/delete/`).expect(404);
    const done = await agent.post('/admin/comments/bulk/').type('form').send(`_csrf=${encodeURIComponent(csrf)}&action=delete&ids=${id}`).expect(303);
    expect(done.headers.location).not.toContain('confirm');
    expect(statusOf(id)).toBe('trash');
    await agent.post(`/admin/comments/${id}/delete/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(statusOf(id)).toBeUndefined();
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
