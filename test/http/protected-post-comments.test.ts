import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  // The first-run article, protected (as the editor stores it); first comments go straight through.
  t.db.prepare("UPDATE posts SET password = 'sesame' WHERE id = 1").run();
  const other = addPost(t, { slug: 'other' });
  t.db.prepare("UPDATE posts SET password = 'another' WHERE id = ?").run(other);
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
});
afterEach(() => t.close());

const rows = () => t.db.prepare('SELECT * FROM comments').all();
const REASON = 'This post is password protected: only a reader who has entered its password may comment on it.';

/** A reader who typed a password on the post's form: their browser keeps its cookie. */
async function readerWith(password: string, postId = 1) {
  const agent = request.agent(t.app);
  await agent.post('/post-password/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: String(postId), post_password: password }).expect(303);
  return agent;
}

/** The comment form of the unlocked post, filled in and sent by `sender` a while later. */
async function comment(sender: request.Agent | ReturnType<typeof request>, text: string) {
  const page = await (await readerWith('sesame')).get(SEED_PATH).expect(200);
  clock.advance(10);
  return (sender as request.Agent).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
    .send({ ...formFields(page.text), author: 'Ani', email: 'ani@example.org', comment: text });
}

describe('a comment on a password-protected post', () => {
  it('without the password’s cookie is refused with a page saying why, and nothing is stored', async () => {
    const res = await comment(request(t.app), 'Enak sekali!');
    expect(res.status).toBe(403);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<h1>Your comment was not posted</h1>');
    expect(res.text).toContain(REASON);
    expect(res.text).toContain(`<a href="${SEED_PATH}">Back to the post</a>`);
    expect(res.text).not.toContain('Enak sekali!');
    expect(rows()).toHaveLength(0);
  });

  it('with the cookie of another password is refused the same way', async () => {
    const res = await comment(await readerWith('another', t.db.prepare("SELECT id FROM posts WHERE slug = 'other'").pluck().get() as number), 'Enak sekali!');
    expect(res.status).toBe(403);
    expect(res.text).toContain(REASON);
    expect(rows()).toHaveLength(0);
  });

  it('says why in Indonesian on an Indonesian blog', async () => {
    t.services.settings.update({ language: 'id' } as never);
    const res = await comment(request(t.app), 'Enak sekali!');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Komentar Anda tidak dikirim');
    expect(res.text).toContain('Pos ini dilindungi kata sandi: hanya pembaca yang telah memasukkan kata sandinya yang dapat berkomentar.');
    expect(res.text).toContain('Kembali ke pos');
  });

  it('with the cookie goes through the normal rules: published, or refused for what is wrong with it', async () => {
    const reader = await readerWith('sesame');
    const empty = await comment(reader, '   ');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Please type your comment text.');
    expect(rows()).toHaveLength(0);

    const res = await comment(reader, 'Enak sekali!');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${SEED_PATH}#comment-\\d+$`));
    expect(rows()).toMatchObject([{ status: 'approved', author_name: 'Ani' }]);
    expect((await reader.get(SEED_PATH).expect(200)).text).toContain('Enak sekali!');
  });
});
