import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, csrfFrom, editor, PASSWORD as ADMIN_PASSWORD } from '../support/admin.js';
import { makeTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { passwordToken } from '../../src/services/post-passwords.js';

let t: TestApp;
afterEach(() => t?.close());

const PASSWORD = 'kopi-tubruk 42';
/** Words that are only in the protected posts' text, excerpt and comments: none may reach a reader without the password. */
const BODY_WORD = 'zanzibarklepon';
const EXCERPT_WORD = 'ringkasanrahasia';
const COMMENT_WORD = 'komentarrahasia';

type Admin = Awaited<ReturnType<typeof adminAgent>>;

/** Publishes a post through the admin editor, as its author would; returns its id and address. */
async function publish(admin: Admin, fields: Record<string, string>) {
  const res = await admin.agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: admin.csrf, status: 'published', comments_open: 'on', ...fields }));
  expect(res.status).toBe(303);
  const id = Number(/\/admin\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]);
  return { id, path: t.services.posts.permalinkOf(id)! };
}

const protectedPost = (admin: Admin, title: string, password = PASSWORD) =>
  publish(admin, {
    title, visibility: 'password', post_password: password,
    markdown: `Resep ${BODY_WORD} dari nenek.`, excerpt: `Sebuah ${EXCERPT_WORD}.`,
  });

/** An approved guest comment on a post, through the comments and moderation services. */
function comment(postId: number, text: string) {
  t.services.settings.update({ requirePreviouslyApproved: false, moderationLinks: 0 } as never);
  const result = t.services.comments.submit({
    postId: String(postId), parentId: '0', name: 'Ani', email: 'ani@example.org', url: '', text,
    honeypot: '', formToken: t.services.comments.formToken(postId), ip: '10.0.0.1', userAgent: 'test',
    // The commenter typed the post's password first, as WordPress requires.
    postPasswordToken: passwordToken(TEST_SECRET, PASSWORD),
  });
  if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
  // Typed the instant the form was made: held as too quick; the administrator lets it through.
  t.services.moderation.apply('approve', result.comment.id);
}

/** Types a password into a post's form, as a browser on the blog's own page sends it. */
const typePassword = (agent: request.Agent | ReturnType<typeof request>, postId: number, password: string) =>
  (agent as request.Agent).post('/post-password/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: String(postId), post_password: password });

const setCookies = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

async function start(env: Record<string, string> = {}) {
  t = makeTestApp({ env });
  const admin = await adminAgent(t);
  const post = await protectedPost(admin, 'Resep Warisan');
  return { admin, post };
}

describe('a password-protected post, for a reader without the password', () => {
  it('is listed as "Protected:" with WordPress’s sentence instead of an excerpt', async () => {
    const { post } = await start();
    const home = (await request(t.app).get('/').expect(200)).text;
    expect(home).toContain(`href="${post.path}" rel="bookmark">Protected: Resep Warisan</a>`);
    expect(home).toContain('There is no excerpt because this is a protected post.');
    expect(home).not.toContain(BODY_WORD);
    expect(home).not.toContain(EXCERPT_WORD);
  });

  it('shows the password form instead of the body, and neither comments nor the comment form', async () => {
    const { post } = await start();
    comment(post.id, `Enak sekali, ${COMMENT_WORD}!`);
    const page = (await request(t.app).get(post.path).expect(200)).text;
    expect(page).toContain('<h1 class="entry-title">Protected: Resep Warisan</h1>');
    expect(page).toContain('This content is password protected. To view it please enter your password below:');
    expect(page).toMatch(/<form action="\/post-password\/" method="post"/);
    expect(page).toMatch(/<input name="post_password" id="pwbox-\d+" type="password"/);
    expect(page).toContain('>Enter</button>');
    for (const hidden of [BODY_WORD, EXCERPT_WORD, COMMENT_WORD, 'id="commentform"', PASSWORD]) expect(page).not.toContain(hidden);
  });

  it('says it in Indonesian on an Indonesian blog', async () => {
    const { post } = await start();
    t.services.settings.update({ language: 'id' } as never);
    const page = (await request(t.app).get(post.path).expect(200)).text;
    expect(page).toContain('Dilindungi: Resep Warisan');
    expect(page).toContain('Konten ini dilindungi kata sandi.');
    expect((await request(t.app).get('/').expect(200)).text).toContain('Tidak ada kutipan karena ini adalah pos yang dilindungi.');
  });
});

describe('POST /post-password/', () => {
  it('with the right password shows the body and comments, remembers it, and opens every post with that password', async () => {
    const { admin, post } = await start();
    comment(post.id, `Enak sekali, ${COMMENT_WORD}!`);
    const twin = await protectedPost(admin, 'Resep Kedua');
    const other = await protectedPost(admin, 'Resep Lain', 'another secret');
    const reader = request.agent(t.app);
    const res = await typePassword(reader, post.id, PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(post.path);

    for (let visit = 0; visit < 2; visit++) {
      const page = (await reader.get(post.path).expect(200)).text;
      expect(page).toContain(`Resep ${BODY_WORD} dari nenek.`);
      expect(page).toContain(COMMENT_WORD);
      expect(page).toContain('id="commentform"');
      expect(page).not.toContain('post-password-form');
    }
    expect((await reader.get(twin.path).expect(200)).text).toContain(BODY_WORD);
    const locked = (await reader.get(other.path).expect(200)).text;
    expect(locked).toContain('post-password-form');
    expect(locked).not.toContain(BODY_WORD);
  });

  it('remembers the password for 10 days in an HttpOnly, SameSite=Lax cookie that holds no password', async () => {
    const { post } = await start();
    const [cookie, ...more] = setCookies(await typePassword(request(t.app), post.id, PASSWORD));
    expect(more).toEqual([]);
    expect(cookie).toMatch(/; Max-Age=864000;/);
    expect(cookie).toMatch(/; Path=\/;/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    const value = decodeURIComponent(/^[^=]+=([^;]*)/.exec(cookie)![1]);
    for (const form of [PASSWORD, 'kopi', encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('base64url')]) {
      expect(value).not.toContain(form);
    }
    // A cookie holding the password itself opens nothing.
    const forged = await request(t.app).get(post.path).set('Cookie', `${cookie.split('=')[0]}=${encodeURIComponent(PASSWORD)}`);
    expect(forged.text).not.toContain(BODY_WORD);
  });

  it('marks the cookie Secure when the blog is served over https', async () => {
    t = makeTestApp({ env: { PUBLIC_URL: 'https://blog.test', TRUST_PROXY: 'loopback' } });
    // Behind its TLS proxy, which says so in X-Forwarded-Proto; the Secure login cookie is sent back by hand.
    const login = await request(t.app).post('/admin/login/').set('X-Forwarded-Proto', 'https').type('form')
      .send({ email: createAccount(t).email!, password: ADMIN_PASSWORD }).expect(303);
    const session = String(login.headers['set-cookie']).split(';')[0];
    const csrf = csrfFrom((await request(t.app).get('/admin/').set('X-Forwarded-Proto', 'https').set('Cookie', session)).text);
    const res = await request(t.app).post('/admin/posts/new/').set('X-Forwarded-Proto', 'https').set('Cookie', session).type('form')
      .send(editor({ _csrf: csrf, title: 'Resep Warisan', status: 'published', visibility: 'password', post_password: PASSWORD }));
    const post = { id: Number(/\/admin\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]) };
    const [cookie] = setCookies(await typePassword(request(t.app), post.id, PASSWORD).set('X-Forwarded-Proto', 'https'));
    expect(cookie).toMatch(/; Secure/);
  });

  it('with a wrong password answers 403 with "Wrong password." above the form, and remembers nothing', async () => {
    const { post } = await start();
    const reader = request.agent(t.app);
    const res = await typePassword(reader, post.id, 'kopi-tubruk 41');
    expect(res.status).toBe(403);
    expect(setCookies(res)).toEqual([]);
    expect(res.text).toMatch(/<p class="form-error" role="alert">Wrong password.<\/p>\s*<p>This content is password protected/);
    expect(res.text).not.toContain(BODY_WORD);
    const again = (await reader.get(post.path).expect(200)).text;
    expect(again).not.toContain(BODY_WORD);
    expect(again).not.toContain('Wrong password.');
  });

  it('refuses a form posted from another site', async () => {
    const { post } = await start();
    const res = await request(t.app).post('/post-password/').set('Sec-Fetch-Site', 'cross-site').type('form')
      .send({ post_id: String(post.id), post_password: PASSWORD });
    expect(res.status).toBe(403);
    expect(setCookies(res)).toEqual([]);
  });

  it('answers 404 for a post that does not exist or is not published', async () => {
    const { admin } = await start();
    const draft = await publish(admin, { title: 'Draf', status: 'draft', visibility: 'password', post_password: PASSWORD });
    expect((await typePassword(request(t.app), draft.id, PASSWORD)).status).toBe(404);
    expect((await typePassword(request(t.app), 999999, PASSWORD)).status).toBe(404);
    expect((await request(t.app).post('/post-password/').type('form').send({ post_id: 'x' })).status).toBe(404);
  });

  it('lets one address guess only 10 times in 15 minutes; the 11th try is refused even with the right password', async () => {
    const { post } = await start();
    for (let i = 0; i < 10; i++) expect((await typePassword(request(t.app), post.id, `guess ${i}`)).status).toBe(403);
    const refused = await typePassword(request(t.app), post.id, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(setCookies(refused)).toEqual([]);
  });
});

describe('caching a protected post', () => {
  it('gives the unlocked page as private, no-store, and never from or into the page cache', async () => {
    const { post } = await start({ PAGE_CACHE: 'on' });
    // An anonymous reader first: the locked page, the same for all, may be kept.
    const locked = await request(t.app).get(post.path).expect(200);
    expect(locked.headers['cache-control']).toMatch(/^public/);
    expect((await request(t.app).get(post.path)).text).toBe(locked.text);

    const reader = request.agent(t.app);
    await typePassword(reader, post.id, PASSWORD).expect(303);
    const unlocked = await reader.get(post.path).expect(200);
    expect(unlocked.text).toContain(BODY_WORD);
    expect(unlocked.headers['cache-control']).toBe('private, no-store');

    // The next anonymous reader still gets the locked page.
    const next = await request(t.app).get(post.path).expect(200);
    expect(next.text).not.toContain(BODY_WORD);
    expect(next.text).toContain('post-password-form');
  });

  it('does not keep an unlocked page rendered before any anonymous reader came', async () => {
    const { post } = await start({ PAGE_CACHE: 'on' });
    const reader = request.agent(t.app);
    await typePassword(reader, post.id, PASSWORD).expect(303);
    expect((await reader.get(post.path)).text).toContain(BODY_WORD);
    for (let i = 0; i < 2; i++) expect((await request(t.app).get(post.path)).text).not.toContain(BODY_WORD);
  });
});

describe('feeds, search and the page head', () => {
  it('never carry a word of the body or excerpt: feeds give the title as "Protected:" and WordPress’s sentence', async () => {
    const { post } = await start();
    for (const feed of ['/feed/', '/feed/atom/']) {
      const xml = (await request(t.app).get(feed).expect(200)).text;
      expect(xml).toContain('Protected: Resep Warisan');
      expect(xml).toContain('There is no excerpt because this is a protected post.');
      expect(xml).not.toContain(BODY_WORD);
      expect(xml).not.toContain(EXCERPT_WORD);
    }
    const page = (await request(t.app).get(post.path)).text;
    expect(page).not.toMatch(/<meta name="description"/);
    expect(page).not.toMatch(/og:description/);
    expect(page).not.toContain(EXCERPT_WORD);
    expect(page).not.toContain('nenek');
  });

  it('find a protected post by its title but never by its text, and show no snippet of it', async () => {
    await start();
    const byBody = (await request(t.app).get(`/?s=${BODY_WORD}`).expect(200)).text;
    expect(byBody).toContain('Sorry, nothing matched your search terms.');
    expect(byBody).not.toContain('Resep Warisan');
    const byTitle = (await request(t.app).get('/?s=warisan').expect(200)).text;
    expect(byTitle).toContain('Protected: Resep Warisan');
    expect(byTitle).toContain('There is no excerpt because this is a protected post.');
    expect(byTitle).not.toContain(BODY_WORD);
    // A title word together with a body word: the post does not match on its title alone.
    expect((await request(t.app).get(`/?s=warisan+${BODY_WORD}`)).text).not.toContain('Resep Warisan');
  });
});

describe('the editor', () => {
  it('shows the password under Visibility and keeps it when the post is saved again', async () => {
    const { admin, post } = await start();
    const edit = (await admin.agent.get(`/admin/posts/${post.id}/edit/`).expect(200)).text;
    expect(edit).toMatch(/<input type="radio" id="visibility-password" name="visibility" value="password" checked>/);
    expect(edit).toContain(`name="post_password" type="text" value="${PASSWORD}"`);
    const form = {
      _csrf: admin.csrf, title: 'Resep Warisan (revisi)', slug: 'resep-warisan', status: 'published', markdown: `Resep ${BODY_WORD} dari nenek.`,
      visibility: 'password', post_password: PASSWORD,
    };
    expect((await admin.agent.post(`/admin/posts/${post.id}/edit/`).type('form').send(editor(form))).status).toBe(303);
    const page = (await request(t.app).get(post.path).expect(200)).text;
    expect(page).toContain('Protected: Resep Warisan (revisi)');
    expect(page).not.toContain(BODY_WORD);
  });

  it('asks for a password when "Password protected" has none, and makes the post public again on request', async () => {
    const { admin, post } = await start();
    const base = { _csrf: admin.csrf, title: 'Resep Warisan', status: 'published', markdown: `Resep ${BODY_WORD} dari nenek.` };
    const empty = await admin.agent.post(`/admin/posts/${post.id}/edit/`).type('form').send(editor({ ...base, visibility: 'password', post_password: '' }));
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Type a password, or make the post public.');
    expect((await request(t.app).get(post.path)).text).not.toContain(BODY_WORD);

    await admin.agent.post(`/admin/posts/${post.id}/edit/`).type('form').send(editor({ ...base, visibility: 'public', post_password: PASSWORD })).expect(303);
    const page = (await request(t.app).get(post.path).expect(200)).text;
    expect(page).toContain(BODY_WORD);
    expect(page).not.toContain('Protected:');
    expect((await admin.agent.get(`/admin/posts/${post.id}/edit/`)).text).toContain('name="post_password" type="text" value=""');
  });
});
