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
