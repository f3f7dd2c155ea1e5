import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, csrfFrom, logIn, PASSWORD } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

/** The Comments item of the admin menu, as the page sends it. */
const commentsMenuItem = (html: string) => /<li><a href="\/admin\/comments\/"[^>]*>[\s\S]*?<\/a><\/li>/.exec(html)?.[0] ?? '';

describe('the count beside Comments in the admin menu', () => {
  it('shows an administrator every held comment, with words for screen readers, on every admin screen', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const { agent } = await adminAgent(t);
    expect(commentsMenuItem((await agent.get('/admin/')).text)).not.toContain('menu-count');

    await submitComment(t, clock, { comment: 'Pertama, menunggu.', email: 'satu@example.org' });
    clock.advance(60);
    await submitComment(t, clock, { comment: 'Kedua, menunggu juga.', email: 'dua@example.org', author: 'Budi' });
    for (const path of ['/admin/', '/admin/posts/', '/admin/settings/']) {
      const item = commentsMenuItem((await agent.get(path)).text);
      expect(item, path).toContain('<span class="menu-count" aria-hidden="true">2</span>');
      expect(item, path).toContain('<span class="visually-hidden"> (2 comments awaiting moderation)</span>');
    }

    // Approving one brings the count down; the last one makes the bubble go.
    const [first, second] = t.services.moderation.latest('pending', 5).map((c) => c.id);
    t.services.moderation.apply('approve', first);
    expect(commentsMenuItem((await agent.get('/admin/')).text)).toContain('(1 comment awaiting moderation)');
    t.services.moderation.apply('spam', second);
    expect(commentsMenuItem((await agent.get('/admin/')).text)).not.toContain('menu-count');
  });

  it("shows an author only the held comments on their own posts, in the site's language", async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const author = createAccount(t, 'author', 'penulis@example.org', 'Penulis');
    t.services.posts.create({ status: 'published', title: 'Milik penulis', slug: 'milik-penulis', markdown: 'Isi.', authorId: author.id, publishedAt: '2026-05-01T08:00:00Z' });
    await submitComment(t, clock, { comment: 'Di pos penulis.', email: 'a@example.org' }, { path: '/2026/05/01/milik-penulis/' });
    clock.advance(60);
    await submitComment(t, clock, { comment: 'Di pos orang lain.', email: 'b@example.org' });
    clock.advance(60);
    await submitComment(t, clock, { comment: 'Di pos orang lain lagi.', email: 'c@example.org' });

    const { agent: authorSession } = await logIn(t, 'penulis@example.org');
    expect(commentsMenuItem((await authorSession.get('/admin/posts/')).text)).toContain('(1 comment awaiting moderation)');
    const { agent: adminSession } = await adminAgent(t);
    expect(commentsMenuItem((await adminSession.get('/admin/posts/')).text)).toContain('(3 comments awaiting moderation)');

    expect(t.services.settings.update({ language: 'id' })).toEqual({});
    const item = commentsMenuItem((await authorSession.get('/admin/')).text);
    expect(item).toContain('Komentar<span class="menu-count" aria-hidden="true">1</span>');
    expect(item).toContain('(1 komentar menunggu moderasi)');
  });
});

describe('the welcome after the setup page', () => {
  const account = { name: 'Ayu Lestari', email: 'ayu@example.org', password: PASSWORD };

  it('greets the first administrator with what to do next until they dismiss it', async () => {
    t = makeTestApp({ setupToken: 'the-printed-token' });
    const agent = request.agent(t.app);
    const created = await agent.post('/admin/setup/').type('form').send({ ...account, token: 'the-printed-token' });
    expect(created.headers.location).toBe('/admin/');

    const first = await agent.get('/admin/');
    expect(first.text).toContain('Welcome to IMers Blog!');
    for (const [href, words] of [
      ['/admin/posts/new/', 'Write your first post'],
      ['/admin/settings/', "Set the blog&#39;s title, tagline and language"],
      ['/admin/comments/', 'Read, approve and answer readers&#39; comments'],
      ['/admin/import/', 'Moving from WordPress? Bring your posts and comments over'],
    ]) expect(first.text).toContain(`<a href="${href}">${words}</a>`);
    // Still there on the next visit to the dashboard, until dismissed.
    expect((await agent.get('/admin/')).text).toContain('Welcome to IMers Blog!');

    const dismissed = await agent.post('/admin/welcome/dismiss/').type('form').send({ _csrf: csrfFrom(first.text) });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.location).toBe('/admin/');
    const after = await agent.get('/admin/');
    expect(after.text).toContain('Dashboard');
    expect(after.text).not.toContain('Welcome to IMers Blog!');
  });

  it('is not shown after an ordinary login, and dismissing needs the form token', async () => {
    t = makeTestApp({ setupToken: 'the-printed-token' });
    const setupSession = request.agent(t.app);
    await setupSession.post('/admin/setup/').type('form').send({ ...account, token: 'the-printed-token' });
    expect((await setupSession.post('/admin/welcome/dismiss/').type('form').send({})).status).toBe(403);
    expect((await setupSession.get('/admin/')).text).toContain('Welcome to IMers Blog!');

    const { agent } = await logIn(t, account.email);
    expect((await agent.get('/admin/')).text).not.toContain('Welcome to');
  });

  it('speaks Indonesian on an Indonesian blog', async () => {
    t = makeTestApp({ setupToken: 'the-printed-token' });
    expect(t.services.settings.update({ language: 'id' })).toEqual({});
    const agent = request.agent(t.app);
    await agent.post('/admin/setup/').type('form').send({ ...account, token: 'the-printed-token' });
    const page = await agent.get('/admin/');
    expect(page.text).toContain('Selamat datang di IMers Blog!');
    expect(page.text).toContain('<a href="/admin/posts/new/">Tulis pos pertama Anda</a>');
    expect(page.text).toContain('>Tutup</button>');
  });
});

describe('settings help in a blogger\'s words', () => {
  /** The help shown under a field (the text its input is described by), apart from what is folded away. */
  const helpOf = (html: string, id: string) => new RegExp(`<p class="description" id="${id}-description">([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '';

  it('says what the site address is plainly, with PUBLIC_URL and HSTS one click away', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    const page = await agent.get('/admin/settings/');
    const help = helpOf(page.text, 'publicUrl');
    expect(help).toContain('The address people type to reach your blog, such as <code>https://blog.example.org</code>.');
    expect(help).not.toMatch(/PUBLIC_URL|HSTS|cookie|canonical/i);
    const details = /<details class="description settings-details"><summary>Technical details<\/summary>([\s\S]*?)<\/details>/.exec(page.text)?.[1] ?? '';
    expect(details).toContain('Secure cookies and HSTS are still decided by <code>PUBLIC_URL</code>');
    expect(details).toContain('Canonical links, feeds, the sitemap');

    const discussion = await agent.get('/admin/settings/discussion/');
    expect(discussion.text).toContain('the one the commenter chose at Gravatar.com for their email address');
    expect(discussion.text).toMatch(/<summary>Technical details<\/summary>\s*<p>Gravatar finds the picture by a hash/);

    expect(t.services.settings.update({ language: 'id' })).toEqual({});
    const id = await agent.get('/admin/settings/');
    expect(helpOf(id.text, 'publicUrl')).toContain('Alamat yang diketik orang untuk membuka blog Anda');
    expect(id.text).toContain('<summary>Detail teknis</summary>');
  });
});
