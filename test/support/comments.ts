import request from 'supertest';
import { SEED_PATH, type TestApp } from './app.js';

/** A clock the tests move by hand. */
export function manualClock(start = '2026-06-01T10:00:00Z') {
  let time = new Date(start).getTime();
  return {
    now: () => new Date(time),
    advance: (seconds: number) => {
      time += seconds * 1000;
    },
  };
}

/** The hidden fields of the comment form on a page, as a browser would send them back. */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="(\w+)"(?: id="\w+")? value="([^"]*)">/g)) fields[m[1]] = m[2];
  return fields;
}

export interface CommentFields {
  comment?: string;
  author?: string;
  email?: string;
  url?: string;
  remember?: string;
  parent_id?: string;
  hp?: string;
  subscribe_comments?: string;
}

/**
 * Loads a post page, waits as a reader would (by moving the clock), and posts the form with the given fields.
 */
export async function submitComment(
  t: TestApp,
  clock: ReturnType<typeof manualClock>,
  fields: CommentFields,
  { agent = request.agent(t.app), path = SEED_PATH, wait = 10 } = {},
) {
  const page = await agent.get(path).expect(200);
  clock.advance(wait);
  return agent
    .post('/comments/')
    .set('Sec-Fetch-Site', 'same-origin')
    .type('form')
    .send({ ...formFields(page.text), author: 'Ani', email: 'ani@example.org', comment: 'Tulisan yang bagus!', ...fields });
}
