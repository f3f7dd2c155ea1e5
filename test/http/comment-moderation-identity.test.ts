import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount, logIn } from '../support/admin.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock, submitComment, type CommentFields } from '../support/comments.js';
import { startFakeOAuth2Provider } from '../support/fake-oauth2.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

const statusOf = (id: number) => t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(id);
const idFrom = (location: string) => Number(/#comment-(\d+)$/.exec(location)?.[1]);

/** A guest's comment through the form, a minute after the last one (past the flood limit); its id. */
async function guest(fields: CommentFields, agent = request.agent(t.app)) {
  clock.advance(60);
  const res = await submitComment(t, clock, fields, { agent });
  expect(res.status).toBe(303);
  return idFrom(res.headers.location);
}

/** A guest comment the administrator has approved: the history the next comment is judged by. */
async function approvedHistory(fields: CommentFields) {
  const id = await guest(fields);
  t.services.moderation.apply('approve', id);
  return id;
}

describe('POST /comments/ judged by an earlier approved comment', () => {
  it('holds a guest who types an approved commenter’s email under another name', async () => {
    await approvedHistory({ author: 'Ani', email: 'ani@example.org', comment: 'My first, approved' });
    const id = await guest({ author: 'Spammer', email: 'ani@example.org', comment: 'Buy <a href="https://spam.example/">pills</a>' });
    expect(statusOf(id)).toBe('pending');
    expect((await request(t.app).get(SEED_PATH)).text).not.toContain('spam.example');
  });

  it('approves the same name and email, the email in any case and the name trimmed', async () => {
    await approvedHistory({ author: 'Ani', email: 'ani@example.org', comment: 'My first, approved' });
    const same = await guest({ author: 'Ani', email: 'ani@example.org', comment: 'Back again' });
    const shouting = await guest({ author: '  Ani ', email: 'ANI@Example.ORG', comment: 'Caps lock on' });
    expect([statusOf(same), statusOf(shouting)]).toEqual(['approved', 'approved']);
    const page = (await request(t.app).get(SEED_PATH)).text;
    expect(page).toContain('Back again');
    expect(page).toContain('Caps lock on');
  });

  it('compares the name exactly: another case of the name is someone else, held', async () => {
    await approvedHistory({ author: 'Ani', email: 'ani@example.org', comment: 'My first, approved' });
    const id = await guest({ author: 'ANI', email: 'ani@example.org', comment: 'Is it me?' });
    expect(statusOf(id)).toBe('pending');
  });
});

describe('POST /comments/ by a guest typing a logged-in commenter’s name and email', () => {
  it('holds it: approval earned through a Google login does not pass to whoever types the same details', async () => {
    const google = await startFakeOAuth2Provider({ kind: 'google', clientId: 'id', clientSecret: 'secret', profile: { name: 'Ayu Lestari', email: 'ayu@example.com' } });
    try {
      t.close();
      t = makeTestApp({
        now: clock.now,
        env: {
          GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret', GOOGLE_AUTHORIZATION_URL: google.authorizationUrl,
          GOOGLE_TOKEN_URL: google.tokenUrl, GOOGLE_USER_PROFILE_URL: google.profileUrl,
        },
      });
      const ayu = request.agent(t.app);
      const start = await ayu.post('/auth/google/').set('Sec-Fetch-Site', 'same-origin').type('form')
        .send(formFields((await ayu.get(SEED_PATH)).text));
      const callback = new URL((await fetch(start.headers.location, { redirect: 'manual' })).headers.get('location')!);
      expect((await ayu.get(callback.pathname + callback.search)).status).toBe(303);
      const loggedIn = await ayu.get(SEED_PATH);
      expect(loggedIn.text).toContain('You are commenting using your Google account.');
      clock.advance(30);
      const posted = await ayu.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
        .send({ ...formFields(loggedIn.text), comment: 'Written while logged in' });
      t.services.moderation.apply('approve', idFrom(posted.headers.location));

      const id = await guest({ author: 'Ayu Lestari', email: 'ayu@example.com', comment: 'Typed, not logged in' });
      expect(statusOf(id)).toBe('pending');
    } finally {
      await google.close();
    }
  });
});

describe('POST /comments/ by a guest using a registered user’s email', () => {
  /** The administrator, with an approved comment written while logged in (name and email now on record). */
  async function adminWithHistory() {
    const admin = createAccount(t, 'administrator', 'boss@example.org', 'Boss');
    const { agent } = await logIn(t, 'boss@example.org');
    const page = await agent.get(SEED_PATH);
    clock.advance(30);
    const res = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(page.text), comment: 'Welcome, readers' });
    expect(res.status).toBe(303);
    expect(statusOf(idFrom(res.headers.location))).toBe('approved');
    return admin;
  }

  it('holds it, shows it awaiting moderation to that guest only, and to no reader', async () => {
    await adminWithHistory();
    const impostor = request.agent(t.app);
    const id = await guest({ author: 'Boss', email: 'boss@example.org', comment: 'Cheap <a href="https://spam.example/">deals</a>' }, impostor);
    expect(statusOf(id)).toBe('pending');

    const own = (await impostor.get(SEED_PATH)).text;
    expect(own).toContain('spam.example');
    expect(own).toContain('Your comment is awaiting moderation.');
    const reader = (await request(t.app).get(SEED_PATH)).text;
    expect(reader).toContain('Welcome, readers');
    expect(reader).not.toContain('spam.example');
    const admin = (await (await logIn(t, 'boss@example.org')).agent.get(SEED_PATH)).text;
    expect(admin).not.toContain('spam.example');
  });

  it('holds it in any case of the email, even when every commenter is trusted', async () => {
    await adminWithHistory();
    t.services.settings.update({ requirePreviouslyApproved: false } as never);
    const stranger = await guest({ author: 'Someone', email: 'someone@example.org', comment: 'Trusted by the setting' });
    const impostor = await guest({ author: 'Boss', email: 'BOSS@example.ORG', comment: 'Not really the boss' });
    expect(statusOf(stranger)).toBe('approved');
    expect(statusOf(impostor)).toBe('pending');
  });

  it('holds it for an account that has never commented', async () => {
    createAccount(t, 'author', 'writer@example.org', 'Writer');
    t.services.settings.update({ requirePreviouslyApproved: false } as never);
    const id = await guest({ author: 'Writer', email: 'writer@example.org', comment: 'Posing as the writer' });
    expect(statusOf(id)).toBe('pending');
  });
});
