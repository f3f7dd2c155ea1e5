import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

const input = (fields: Partial<Parameters<TestApp['services']['comments']['submit']>[0]>) => {
  const formToken = t.services.comments.formToken(1);
  clock.advance(30);
  return t.services.comments.submit({
    postId: '1', parentId: '0', name: 'Guest', email: 'guest@example.org', url: '', text: 'Hello',
    honeypot: '', formToken, ip: '127.0.0.1', userAgent: 'test', ...fields,
  });
};

describe('comments service submit', () => {
  it('approves the logged-in author’s own comment under their name, without moderation', () => {
    const author = t.services.users.findByLogin('newbie-im')!;
    const result = input({ author: { id: author.id, displayName: author.displayName, email: 'im@example.org' }, name: '', email: '' });
    expect('comment' in result && result.comment).toMatchObject({ status: 'approved', authorName: 'Newbie IM' });
    expect(t.db.prepare('SELECT user_id FROM comments').pluck().get()).toBe(author.id);
  });

  it('holds the same text from a first-time guest', () => {
    const result = input({});
    expect('comment' in result && result.comment.status).toBe('pending');
  });

  it('holds a comment with a forged form token for moderation', () => {
    t.services.settings.update({ requirePreviouslyApproved: false } as never);
    const result = input({ formToken: `${Date.now() - 60_000}.forgedforgedforgedforgedforgedforgedforged` });
    expect('comment' in result && result.comment.status).toBe('pending');
  });

  it('copes with a token of any shape, multibyte characters included', () => {
    for (const formToken of ['', '.', 'x.y.z', `1.${'é'.repeat(43)}`, `1.${'😀'.repeat(22)}`]) {
      clock.advance(60);
      expect(() => input({ formToken, email: `${formToken.length}-${Math.random()}@example.org`, text: formToken + Math.random() })).not.toThrow();
    }
  });
});

describe('comments service submitTogether (a burst of comments, committed together)', () => {
  const burst = (fields: Array<Partial<Parameters<TestApp['services']['comments']['submit']>[0]>>) => {
    const formToken = t.services.comments.formToken(1);
    clock.advance(30);
    // Asked for in one turn, as the requests one poll of the sockets reads: the writes share a transaction.
    return Promise.all(fields.map((f) => t.services.comments.submitTogether({
      postId: '1', parentId: '0', name: 'Guest', email: 'guest@example.org', url: '', text: 'Hello',
      honeypot: '', formToken, ip: '127.0.0.1', userAgent: 'test', ...f,
    })));
  };
  const stored = () => t.db.prepare('SELECT author_email AS email, body_html AS body FROM comments ORDER BY id').all();

  it('stores every comment of the burst and answers each with its own', async () => {
    const results = await burst([1, 2, 3].map((n) => ({ text: `Comment ${n}`, email: `g${n}@example.org`, ip: `10.0.0.${n}` })));
    expect(results.map((r) => 'comment' in r && r.comment.bodyHtml)).toEqual(['<p>Comment 1</p>', '<p>Comment 2</p>', '<p>Comment 3</p>']);
    expect(stored()).toEqual([1, 2, 3].map((n) => ({ email: `g${n}@example.org`, body: `<p>Comment ${n}</p>` })));
  });

  it('judges each comment against those stored before it in the same burst: a flood and a duplicate are refused', async () => {
    const results = await burst([
      { text: 'First', email: 'a@example.org', ip: '10.0.0.1' },
      { text: 'Again from the same address', email: 'b@example.org', ip: '10.0.0.1' },
      { text: 'First', email: 'c@example.org', ip: '10.0.0.3' },
    ]);
    expect(results.map((r) => ('errors' in r ? r.errors.form : 'stored'))).toEqual(['stored', 'comments.error.flood', 'comments.error.duplicate']);
    expect(results.map((r) => ('errors' in r ? r.status : 303))).toEqual([303, 429, 409]);
    expect(stored()).toEqual([{ email: 'a@example.org', body: '<p>First</p>' }]);
  });

  it('refuses a reply whose parent is deleted before the burst is written, naming the problem', async () => {
    t.services.settings.update({ requirePreviouslyApproved: false } as never);
    const parent = input({ text: 'Parent', email: 'p@example.org', ip: '10.0.0.9' });
    const parentId = 'comment' in parent ? parent.comment.id : 0;
    t.db.prepare("UPDATE comments SET status = 'approved'").run();
    const reply = burst([{ text: 'A reply', parentId: String(parentId) }]);
    // Checked when asked for; the delete comes in the same turn, before the burst's transaction.
    t.db.prepare('DELETE FROM comments WHERE id = ?').run(parentId);
    const [result] = await reply;
    expect('errors' in result && [result.status, result.errors.form]).toEqual([422, 'comments.error.parentMissing']);
    expect(stored()).toEqual([]);
  });

  it('refuses a burst’s bad form at once, storing nothing', async () => {
    const [result] = await burst([{ email: 'not-an-email' }]);
    expect('errors' in result && result.errors.email).toBe('comments.error.emailInvalid');
    expect(stored()).toEqual([]);
  });
});
