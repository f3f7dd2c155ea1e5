import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock, submitComment } from '../support/comments.js';
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
