import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { translator } from '../../src/i18n/index.js';
import { noticeMessage } from '../../src/mail/notice-message.js';
import { migrationsDir } from '../../src/paths.js';
import { adminAgent } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock, submitComment } from '../support/comments.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startFakeOAuth2Provider, type FakeOAuth2Provider } from '../support/fake-oauth2.js';

/** Every English sentence a reader could meet on these pages: none may show on an Indonesian site. */
const ENGLISH = [
  'Please enter your name.',
  'Your name is too long',
  'Please enter your email address.',
  'Please enter a valid email address.',
  'Please enter a website address',
  'Please type your comment text.',
  'Your comment is too long',
  'Your comment is empty once HTML',
  'This post does not exist.',
  'Comments are closed.',
  'The comment you are replying to is not available.',
  'You are posting comments too quickly.',
  'Duplicate comment detected',
  'Your comment was not posted',
  'Logging in did not work',
  'did not answer in time',
  'That login link was already used',
  'Logging in with another account did not work',
  'Slow down',
  'too many requests',
  'Page not found',
  'It looks like nothing was found',
  'Something went wrong',
  'Back to the home page',
  'This content is password protected',
  'Wrong password.',
  'Your comment is awaiting moderation.',
  'Anonymous',
  'Sorry, nothing matched your search',
  'Search results for',
  'Nothing has been published here yet.',
  'thoughts on',
  'One thought on',
  'Confirm that this address should receive',
  'This address now receives',
  'Your email subscriptions',
  'Email from this site to',
  'Unsubscribed from everything',
  'This link is no longer valid',
];
/** A catalogue key printed as itself (a key missing from the catalogue, or a message not said). */
const RAW_KEY = /\b(?:comments\.error|login\.(?:failed|timedOut|notStarted|stillLoggedIn)|error\.(?:notFound|tooMany|generic|client))\b/;

function expectIndonesian(html: string, ...sentences: string[]) {
  for (const sentence of sentences) expect(html).toContain(sentence);
  for (const english of ENGLISH) expect(html, `English left: ${english}`).not.toContain(english);
  expect(html).not.toMatch(RAW_KEY);
}

let t: TestApp | undefined;
let fake: FakeOAuth2Provider | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
  t = fake = undefined;
});

function indonesianBlog(options: Parameters<typeof makeTestApp>[0] = {}) {
  const clock = manualClock();
  t = makeTestApp({ now: clock.now, ...options });
  expect(t.services.settings.update({ language: 'id', requirePreviouslyApproved: false } as never).errors).toBeUndefined();
  return { t, clock };
}

/** A published post behind a password, as the editor stores it; its address. */
function protectedPost(t: TestApp) {
  const id = addPost(t, { slug: 'rahasia', title: 'Rahasia', markdown: 'Isi rahasia.' });
  t.db.prepare('UPDATE posts SET password = ? WHERE id = ?').run('sesame', id);
  return { id, path: t.services.posts.permalinkOf(id)! };
}

/** Types a password into a protected post's form, as a browser on the blog's own page sends it. */
const typePassword = (t: TestApp, postId: number, password: string) =>
  request(t.app).post('/post-password/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: String(postId), post_password: password });

describe('comment messages on an Indonesian blog', () => {
  it('says each field error in Indonesian', async () => {
    const { t, clock } = indonesianBlog();
    const missing = await submitComment(t, clock, { author: '', email: '', url: 'ftp://example.org', comment: '' });
    expect(missing.status).toBe(422);
    expectIndonesian(missing.text, 'Silakan isi nama Anda.', 'Silakan isi alamat email Anda.',
      'Silakan masukkan alamat situs web yang diawali http:// atau https://, paling banyak 200 karakter.', 'Silakan ketik komentar Anda.');

    const wrong = await submitComment(t, clock, { author: 'A'.repeat(246), email: 'not-an-email', comment: '<img src="x.png">' });
    expect(wrong.status).toBe(422);
    expectIndonesian(wrong.text, 'Nama Anda terlalu panjang (paling banyak 245 karakter).', 'Silakan masukkan alamat email yang valid.',
      'Komentar Anda kosong setelah HTML yang tidak diizinkan dihapus.');

    const long = await submitComment(t, clock, { comment: 'a'.repeat(65526) });
    expect(long.status).toBe(422);
    expectIndonesian(long.text);
    // Written as Indonesian writes numbers (65.525) once the translator formats them; either way in Indonesian.
    expect(long.text).toMatch(/Komentar Anda terlalu panjang \(paling banyak 65\.?525 karakter\)\./);
  });

  it('says refusals (unknown parent, flood, duplicate, closed) in Indonesian', async () => {
    const { t, clock } = indonesianBlog();
    const orphan = await submitComment(t, clock, { parent_id: '999' });
    expect(orphan.status).toBe(422);
    expectIndonesian(orphan.text, 'Komentar Anda belum terkirim:', 'Komentar yang Anda balas tidak tersedia.');

    const agent = request.agent(t.app);
    await submitComment(t, clock, { comment: 'pertama' }, { agent, wait: 5 });
    const flood = await submitComment(t, clock, { comment: 'kedua, terlalu cepat' }, { agent, wait: 5 });
    expect(flood.status).toBe(429);
    expectIndonesian(flood.text, 'Anda mengirim komentar terlalu cepat. Pelan-pelan saja.');

    clock.advance(60);
    const duplicate = await submitComment(t, clock, { comment: 'pertama' });
    expect(duplicate.status).toBe(409);
    expectIndonesian(duplicate.text, 'Komentar ganda terdeteksi; sepertinya Anda sudah pernah mengatakannya!');

    const page = await request(t.app).get(SEED_PATH);
    t.db.prepare('UPDATE posts SET comments_open = 0').run();
    clock.advance(60);
    const closed = await request(t.app).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(page.text), author: 'Ani', email: 'ani@example.org', comment: 'terlambat' });
    expect(closed.status).toBe(403);
    expectIndonesian(closed.text, 'Komentar ditutup.');
  });
});

describe('the same messages on an English blog', () => {
  it('keeps the English field errors word for word', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const missing = await submitComment(t, clock, { author: '', email: '', url: 'ftp://example.org', comment: '' });
    const wrong = await submitComment(t, clock, { author: 'A'.repeat(246), email: 'not-an-email', comment: '<img src="x.png">' });
    for (const sentence of ['Please enter your name.', 'Please enter your email address.', 'Please type your comment text.',
      'Please enter a website address starting with http:// or https://, at most 200 characters.']) expect(missing.text).toContain(sentence);
    for (const sentence of ['Your name is too long (245 characters at most).', 'Please enter a valid email address.',
      'Your comment is empty once HTML that is not allowed is removed. Please type your comment text.']) expect(wrong.text).toContain(sentence);
    expect(missing.text + wrong.text).not.toMatch(RAW_KEY);
  });
});

describe('login outcomes on an Indonesian blog', () => {
  async function googleBlog() {
    fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret', requirePkce: true });
    return indonesianBlog({
      providerTimeoutMs: 500,
      env: {
        GOOGLE_CLIENT_ID: 'client-id', GOOGLE_CLIENT_SECRET: 'client-secret',
        GOOGLE_AUTHORIZATION_URL: fake.authorizationUrl, GOOGLE_TOKEN_URL: fake.tokenUrl, GOOGLE_USER_PROFILE_URL: fake.profileUrl,
      },
    }).t;
  }

  /** Clicks the Google icon with a draft and returns the callback's path, as the fake provider sends the visitor back. */
  async function startLogin(agent: ReturnType<typeof request.agent>) {
    const page = await agent.get(SEED_PATH);
    const start = await agent.post('/auth/google/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment: 'draf saya' });
    expect(start.status).toBe(302);
    const callback = new URL((await fetch(start.headers.location, { redirect: 'manual' })).headers.get('location')!);
    return callback.pathname + callback.search;
  }

  it.each([
    ['deny', 'Login tidak berhasil, jadi Anda belum masuk. Komentar Anda masih ada di sini.'],
    ['slow', 'Penyedia login tidak menjawab tepat waktu. Silakan coba lagi.'],
  ] as const)('says a login that ends in %s in Indonesian', async (mode, sentence) => {
    const t = await googleBlog();
    fake!.mode = mode;
    fake!.slowMs = 3000;
    const agent = request.agent(t.app);
    await agent.get(await startLogin(agent)).expect(303);
    const back = await agent.get(SEED_PATH);
    expectIndonesian(back.text, sentence);
    expect(back.text).toContain('draf saya</textarea>');
  });

  it('says a replayed login link in Indonesian', async () => {
    const t = await googleBlog();
    const agent = request.agent(t.app);
    const callback = await startLogin(agent);
    await agent.get(callback).expect(303);
    const page = await agent.get(SEED_PATH);
    await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(page.text)).expect(303);
    await agent.get(SEED_PATH);
    await agent.get(callback).expect(303);
    expectIndonesian((await agent.get(SEED_PATH)).text, 'Tautan login itu sudah dipakai atau dibuka di peramban lain, jadi Anda belum masuk.');
  });
});

describe('error pages on an Indonesian blog', () => {
  it('says the rate limit, the 404 and the server fault in Indonesian', async () => {
    const { t } = indonesianBlog();
    const send = () => request(t.app).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: '1', comment: '' });
    for (let i = 0; i < 20; i++) expect((await send()).status).not.toBe(429);
    const limited = await send();
    expect(limited.status).toBe(429);
    expectIndonesian(limited.text, 'Pelan-pelan', 'Anda mengirim terlalu banyak permintaan');

    const missing = await request(t.app).get('/tidak-ada-halaman-ini/');
    expect(missing.status).toBe(404);
    expectIndonesian(missing.text);

    t.db.exec('DROP TABLE post_terms');
    const fault = await request(t.app).get('/');
    expect(fault.status).toBe(500);
    expectIndonesian(fault.text);
  });
});

describe('a protected post, a held comment and empty lists on an Indonesian blog', () => {
  it('asks for the password, and says a wrong one, in Indonesian', async () => {
    const { t } = indonesianBlog();
    const post = protectedPost(t);
    const form = await request(t.app).get(post.path).expect(200);
    expectIndonesian(form.text, 'Konten ini dilindungi kata sandi. Untuk melihatnya, silakan masukkan kata sandi Anda di bawah ini:',
      'Kata sandi:', 'Masuk');
    const wrong = await typePassword(t, post.id, 'salah');
    expect(wrong.status).toBe(403);
    expectIndonesian(wrong.text, '<p class="form-error" role="alert">Kata sandi salah.</p>', 'Konten ini dilindungi kata sandi.');
    // Lists and search name it as protected, in Indonesian too.
    expectIndonesian((await request(t.app).get('/').expect(200)).text, 'Dilindungi: Rahasia');
  });

  it('tells the visitor whose comment is held that it awaits moderation, in Indonesian', async () => {
    const { t, clock } = indonesianBlog();
    t.services.settings.update({ requirePreviouslyApproved: true } as never);
    const agent = request.agent(t.app);
    expect((await submitComment(t, clock, { comment: 'Tunggu giliran saya' }, { agent })).status).toBe(303);
    const page = await agent.get(SEED_PATH).expect(200);
    expectIndonesian(page.text, 'Tunggu giliran saya', '<p class="awaiting"><em>Komentar Anda sedang menunggu moderasi.</em></p>');
  });

  it('says an empty search and an empty archive in Indonesian', async () => {
    const { t } = indonesianBlog();
    const search = await request(t.app).get('/?s=tidakadasamasekali').expect(200);
    expectIndonesian(search.text, 'Hasil pencarian untuk “tidakadasamasekali”',
      'Maaf, tidak ada yang cocok dengan kata kunci Anda. Silakan coba lagi dengan kata kunci lain.');
    const archive = await request(t.app).get('/2016/04/').expect(200);
    expectIndonesian(archive.text, 'Belum ada yang diterbitkan di sini.');
  });
});

describe('the same pages on an English blog', () => {
  it('keeps the password form, the wrong password, the held comment and the empty lists word for word', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const post = protectedPost(t);
    expect((await request(t.app).get(post.path).expect(200)).text)
      .toContain('<p>This content is password protected. To view it please enter your password below:</p>');
    expect((await typePassword(t, post.id, 'wrong')).text).toContain('<p class="form-error" role="alert">Wrong password.</p>');
    const agent = request.agent(t.app);
    expect((await submitComment(t, clock, { comment: 'Waiting my turn' }, { agent })).status).toBe(303);
    expect((await agent.get(SEED_PATH)).text).toContain('<p class="awaiting"><em>Your comment is awaiting moderation.</em></p>');
    const search = (await request(t.app).get('/?s=nothingatall').expect(200)).text;
    expect(search).toContain('Search results for “nothingatall”');
    expect(search).toContain('Sorry, nothing matched your search terms. Please try again with some different keywords.');
    expect((await request(t.app).get('/2016/04/').expect(200)).text).toContain('Nothing has been published here yet.');
  });
});

describe('a comment without a name', () => {
  it('is stored nameless and called “Anonim” on an Indonesian blog, “Anonymous” on an English one', async () => {
    const { t, clock } = indonesianBlog();
    t.services.settings.update({ requireNameEmail: false } as never);
    expect((await submitComment(t, clock, { author: '', email: '', comment: 'Siapa saya?' })).status).toBe(303);
    expect(t.db.prepare('SELECT author_name FROM comments').pluck().get()).toBe('');
    const { agent } = await adminAgent(t);

    const post = (await request(t.app).get(SEED_PATH).expect(200)).text;
    expectIndonesian(post, '<b class="comment-author">Anonim</b>');
    const admin = (await agent.get('/admin/comments/').expect(200)).text;
    expectIndonesian(admin, '<strong>Anonim</strong>');
    // Replying to it: the form's heading names it as the thread does.
    const id = t.db.prepare('SELECT id FROM comments').pluck().get() as number;
    expectIndonesian((await request(t.app).get(`${SEED_PATH}?replytocom=${id}`)).text, 'Tinggalkan Balasan ke Anonim');

    t.services.settings.update({ language: 'en' } as never);
    expect((await request(t.app).get(SEED_PATH)).text).toContain('<b class="comment-author">Anonymous</b>');
    expect((await agent.get('/admin/comments/')).text).toContain('<strong>Anonymous</strong>');
    expect((await request(t.app).get(`${SEED_PATH}?replytocom=${id}`)).text).toContain('Leave a Reply to Anonymous');
  });

  it('is named in the notice email in the notice’s language', () => {
    const content = {
      kind: 'moderation-notice', site: 'Blog', postTitle: 'Judul', postUrl: 'https://blog.example/p/', authorName: '', authorUrl: '',
      bodyHtml: '<p>Siapa saya?</p>', waiting: 1, commentAdminUrl: 'https://blog.example/admin/comments/', panelUrl: 'https://blog.example/admin/',
    } as const;
    const id = noticeMessage(translator('id'), { ...content, language: 'id' });
    expect(id.text).toMatch(/Penulis\s*:\s*Anonim/);
    expect(id.html).toContain('Anonim');
    expect(noticeMessage(translator('en'), { ...content, language: 'en' }).text).toMatch(/Author\s*:\s*Anonymous/);
  });

  it('loses the stored English “Anonymous” when the blog is migrated, and keeps every other name', () => {
    t = makeTestApp();
    const insert = t.db.prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (1, 'approved', ?, '<p>Hai</p>')");
    for (const name of ['Anonymous', 'Anonymous Coward', 'Ani']) insert.run(name);
    t.db.prepare("DELETE FROM schema_migrations WHERE name = '0023_anonymous_name.sql'").run();
    expect(migrate(t.db, migrationsDir)).toEqual(['0023_anonymous_name.sql']);
    expect(t.db.prepare('SELECT author_name FROM comments ORDER BY id').pluck().all()).toEqual(['', 'Anonymous Coward', 'Ani']);
  });
});

describe('a count said through Intl.PluralRules', () => {
  it('titles one comment and two comments as each language counts them', async () => {
    const { t, clock } = indonesianBlog();
    expect((await submitComment(t, clock, { comment: 'Pertama' })).status).toBe(303);
    expectIndonesian((await request(t.app).get(SEED_PATH)).text, '1 tanggapan untuk “');
    t.services.settings.update({ language: 'en' } as never);
    expect((await request(t.app).get(SEED_PATH)).text).toContain('One thought on “');
    clock.advance(60);
    expect((await submitComment(t, clock, { author: 'Budi', email: 'budi@example.org', comment: 'Kedua' })).status).toBe(303);
    expect((await request(t.app).get(SEED_PATH)).text).toContain('2 thoughts on “');
    t.services.settings.update({ language: 'id' } as never);
    expectIndonesian((await request(t.app).get(SEED_PATH)).text, '2 tanggapan untuk “');
  });
});

describe('the subscription pages of an Indonesian blog', () => {
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('confirm, manage, end everything and refuse a used link in Indonesian', async () => {
    smtp = await startSmtpServer();
    const { t, clock } = indonesianBlog({ env: { SMTP_URL: smtp.url } });
    expect((await submitComment(t, clock, { subscribe_comments: 'yes' })).status).toBe(303);
    const mail = t.db.prepare("SELECT text FROM outbox WHERE kind = 'subscription-confirm'").pluck().get() as string;
    const [confirm, manage] = (['confirm', 'manage'] as const).map((kind) => new RegExp(`/subscriptions/${kind}/[\\w-]+/`).exec(mail)![0]);
    const send = (path: string) => request(t.app).post(path).set('Sec-Fetch-Site', 'same-origin');

    expectIndonesian((await request(t.app).get(confirm).expect(200)).text, 'Konfirmasikan bahwa alamat ini akan menerima:', 'Komentar baru pada “');
    expectIndonesian((await send(confirm).expect(200)).text, 'Langganan dikonfirmasi', 'Alamat ini sekarang menerima:');
    expectIndonesian((await request(t.app).get(manage).expect(200)).text, 'Langganan email Anda', 'Email dari situs ini ke ani@example.org:',
      'Berhenti dari semuanya');
    expectIndonesian((await send(`${manage}everything/`).expect(200)).text,
      'Semua langganan diakhiri: situs ini tidak akan mengirim email ke alamat ini lagi.');
    expectIndonesian((await send(confirm).expect(404)).text, 'Tautan ini tidak berlaku lagi');
  });
});
