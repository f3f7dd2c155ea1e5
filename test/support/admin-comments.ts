import request from 'supertest';
import { afterEach, beforeEach } from 'vitest';
import type { CommentInput } from '../../src/services/comments.js';
import { makeTestApp, SEED_PATH, type TestApp } from './app.js';
import { manualClock } from './comments.js';

// The running test's app, its clock and the seeded post's id, set afresh before each test by `freshAppEachTest`.
// Test files import them read-only; ES module imports follow the reassignments.
export let t: TestApp;
export let clock: ReturnType<typeof manualClock>;
export let seedId: number;
let visitor: number;

/** Gives each test of the calling file a fresh app on a hand-moved clock, and closes it afterwards. */
export function freshAppEachTest() {
  beforeEach(() => {
    visitor = 0;
    clock = manualClock();
    t = makeTestApp({ now: clock.now });
    seedId = t.db.prepare("SELECT id FROM posts WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").pluck().get() as number;
  });
  afterEach(() => t.close());
}

/** A first-time guest's comment through the comments service: held for moderation. */
export function guestComment(fields: Partial<CommentInput> = {}): number {
  visitor += 1;
  const formToken = t.services.comments.formToken(seedId);
  clock.advance(30);
  const result = t.services.comments.submit({
    postId: String(seedId), parentId: '0', name: `Guest ${visitor}`, email: `guest${visitor}@example.org`, url: '',
    text: `Words of guest ${visitor}`, honeypot: '', formToken, ip: `10.0.0.${visitor}`, userAgent: 'test', ...fields,
  });
  if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
  return result.comment.id;
}

export const statusOf = (id: number) => t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(id);
export const readerPage = async (path = SEED_PATH) => (await request(t.app).get(path).expect(200)).text;
