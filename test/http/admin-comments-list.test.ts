import { describe, expect, it } from 'vitest';
import { adminAgent, createAccount, logIn } from '../support/admin.js';
import { freshAppEachTest, guestComment, readerPage, seedId, statusOf, t } from '../support/admin-comments.js';
import { addPost, SEED_PATH } from '../support/app.js';

freshAppEachTest();

describe('GET /admin/comments/', () => {
  it('lists a held comment with its author, email, IP, text, post and a Pending marker, with counts per filter', async () => {
    const id = guestComment({ text: 'Held <b>words</b>', url: 'https://ani.example.org' });
    const spam = guestComment();
    t.services.moderation.apply('spam', spam);
    const { agent } = await adminAgent(t);
    const res = await agent.get('/admin/comments/').expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
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
