import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

/** Posts the seed article's form with the given fields, and the SQL the POST alone ran. */
async function postComment(fields: Record<string, string>) {
  const agent = request.agent(t.app);
  const page = await agent.get(SEED_PATH).expect(200);
  clock.advance(10);
  const counter = countStatements(t.db);
  try {
    const res = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(page.text), author: 'Ani', email: 'ani@example.org', ...fields });
    return { res, ran: counter.ran };
  } finally {
    counter.restore();
  }
}

const readsBodies = (sql: string) => /FROM posts p\b/.test(sql) && /body_html|body_markdown|body_text/.test(sql);

describe('a comment POST', () => {
  it('reads the post without its bodies when the comment is stored', async () => {
    const { res, ran } = await postComment({ comment: 'Tulisan yang bagus!' });
    expect(res.status).toBe(303);
    expect(ran.some((sql) => /FROM posts p\b/.test(sql))).toBe(true);
    expect(ran.filter(readsBodies)).toEqual([]);
  });

  it('still shows the whole post again, body and all, when the form has a mistake', async () => {
    const { res, ran } = await postComment({ comment: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('sangatlah luar biasa pertumbuhan');
    expect(ran.filter(readsBodies)).toHaveLength(1);
  });
});
