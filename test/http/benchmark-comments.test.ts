import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t.close());

/** Posts `count` comments from one browser at one address, as fast as the form allows; their statuses. */
async function postMany(env: Record<string, string>, count: number) {
  const clock = manualClock();
  t = makeTestApp({ now: clock.now, env });
  const agent = request.agent(t.app);
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await submitComment(t, clock, { comment: `Komentar nomor ${i}` }, { agent })).status);
  return statuses;
}

describe('BENCHMARK_UNLIMITED_COMMENTS', () => {
  it('is off by default: one address is slowed by flood control and stopped after 20 comments', async () => {
    const statuses = await postMany({}, 22);
    expect(statuses.filter((s) => s === 303).length).toBeLessThan(22);
    expect(statuses.at(-1)).toBe(429);
  });

  it('lets a benchmark post comment after comment from one address', async () => {
    const statuses = await postMany({ BENCHMARK_UNLIMITED_COMMENTS: 'true' }, 22);
    expect(statuses).toEqual(Array(22).fill(303));
  });
});
