import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

const statusOf = (id: number) => t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(id);
const readerSees = async (text: string) => (await request(t.app).get(SEED_PATH)).text.includes(text);

describe('moderation service', () => {
  it('approves a held comment so readers see it, and unapproves it again', async () => {
    await submitComment(t, clock, { comment: 'held words' });
    expect(statusOf(1)).toBe('pending');
    expect(await readerSees('held words')).toBe(false);
    expect(t.services.moderation.apply('approve', 1)).toBe(true);
    expect(await readerSees('held words')).toBe(true);
    t.services.moderation.apply('unapprove', 1);
    expect(await readerSees('held words')).toBe(false);
  });

  it('moves comments between spam, trash and the queue, and counts them', async () => {
    await submitComment(t, clock, { comment: 'a' });
    clock.advance(30);
    await submitComment(t, clock, { comment: 'b', email: 'b@example.org' });
    t.services.moderation.apply('spam', 1);
    t.services.moderation.apply('trash', 2);
    expect(t.services.moderation.counts()).toEqual({ approved: 0, pending: 0, spam: 1, trash: 1 });
    t.services.moderation.apply('notSpam', 1);
    t.services.moderation.apply('restore', 2);
    expect([statusOf(1), statusOf(2)]).toEqual(['pending', 'pending']);
  });

  it('deletes permanently, and says false for a comment that does not exist', async () => {
    await submitComment(t, clock, {});
    expect(t.services.moderation.apply('delete', 1)).toBe(true);
    expect(statusOf(1)).toBeUndefined();
    expect(t.services.moderation.apply('approve', 99)).toBe(false);
  });

  it('counts only approved comments on the post and home pages', async () => {
    await submitComment(t, clock, {});
    expect((await request(t.app).get('/')).text).toContain('Leave a comment');
    t.services.moderation.apply('approve', 1);
    expect((await request(t.app).get('/')).text).toContain('1 comment');
  });
});
