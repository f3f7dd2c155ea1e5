import { parse } from 'parse5';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  // Without moderation in the way, an empty comment would be published at once.
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
});
afterEach(() => t.close());

type Node = { nodeName: string; value?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[] };

/** The element with this id in a page, as a browser builds it. */
function byId(html: string, id: string): Node | undefined {
  const walk = (node: Node): Node | undefined =>
    node.attrs?.some((a) => a.name === 'id' && a.value === id) ? node : node.childNodes?.map(walk).find(Boolean);
  return walk(parse(html) as unknown as Node);
}
const textOf = (node: Node | undefined): string => (node?.nodeName === '#text' ? node.value! : (node?.childNodes ?? []).map(textOf).join(''));

const EMPTY_MESSAGE = 'Your comment is empty once HTML that is not allowed is removed. Please type your comment text.';
const count = () => t.db.prepare('SELECT count(*) FROM comments').pluck().get();

describe('POST /comments/ with nothing left to show', () => {
  it.each([
    ['an image that runs script', '<img src=x onerror=alert(1)>'],
    ['a script', '<script>alert("hi")</script>'],
    ['a style sheet', '<style>body { display: none }</style>'],
    ['spaces written as entities and breaks', '&nbsp; <br> &#8203; <p>&nbsp;</p>'],
    ['empty allowed tags', '<b> </b><em></em>'],
    ['a link with no words', '<a href="https://spam.example/"></a>'],
    ['spaces and zero-width characters typed as themselves', ' \u200b\u00a0\t\u2060 '],
  ])('refuses %s with 422, names the problem at the comment box and keeps the text there', async (_, typed) => {
    const res = await submitComment(t, clock, { comment: typed });
    expect(res.status).toBe(422);
    const box = byId(res.text, 'comment');
    expect(textOf(box)).toBe(typed);
    expect(box?.attrs).toContainEqual({ name: 'aria-describedby', value: 'comment-error' });
    expect(textOf(byId(res.text, 'comment-error'))).toBe(EMPTY_MESSAGE);
    expect(byId(res.text, 'author')?.attrs).toContainEqual({ name: 'value', value: 'Ani' });
    expect(count()).toBe(0);
    expect((await request(t.app).get(SEED_PATH)).text).not.toContain('id="comment-1"');
  });

  it('still takes a comment with words beside the stripped markup', async () => {
    const res = await submitComment(t, clock, { comment: '<img src=x onerror=alert(1)> Nice &amp; short' });
    expect(res.status).toBe(303);
    expect(t.db.prepare('SELECT body_html FROM comments').pluck().get()).toBe('<p>Nice &amp; short</p>');
  });
});
