import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommentersRepository } from '../../src/repositories/commenters.js';
import { createCommentsRepository } from '../../src/repositories/comments.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
beforeEach(() => {
  // The real render: the page cache would answer the repeated request without running anything.
  t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
});
afterEach(() => t.close());

/** Approved comments on the seed article: every third from a provider login with a picture, every fifth a reply. */
function addComments(count: number) {
  const postId = t.services.posts.postPage({ year: '2016', month: '05', day: '12' }, 'trend-life-style-menjadi-pasangan-imers')!;
  const id = 'post' in postId ? postId.post.id : 0;
  const comments = createCommentsRepository(t.db);
  const commenter = createCommentersRepository(t.db).upsert({
    provider: 'google', providerUid: 'g-1', displayName: 'Gita', pictureUrl: 'https://pictures.example/gita.png', profileUrl: '', email: '',
  });
  let last: number | null = null;
  for (let i = 0; i < count; i++) {
    last = comments.insert({
      postId: id, parentId: i % 5 === 4 ? last : null, status: 'approved', authorName: `Reader ${i}`, authorEmail: '',
      avatarHash: '', authorUrl: '', authorIp: '192.0.2.1', userAgent: 'test', bodyHtml: `<p>Comment number ${i}</p>`,
      createdAt: new Date(Date.UTC(2016, 4, 13, 0, i)).toISOString(), userId: null, commenterId: i % 3 === 0 ? commenter.id : null,
    }).id;
  }
}

/** The SQL statements one anonymous request for the seed article runs (after a first request warmed everything up). */
async function statementsForPostPage(): Promise<string[]> {
  await request(t.app).get(SEED_PATH).expect(200);
  const counter = countStatements(t.db);
  try {
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.text).toContain('id="comments"');
    return counter.ran;
  } finally {
    counter.restore();
  }
}

describe('GET a post page', () => {
  it('runs the same small number of SQL statements with 0, 20 and 200 comments', async () => {
    const none = await statementsForPostPage();
    addComments(20);
    const twenty = await statementsForPostPage();
    addComments(180);
    const many = await statementsForPostPage();

    expect(none.length).toBeGreaterThan(0);
    expect(none.length).toBeLessThanOrEqual(4);
    expect(twenty).toEqual(none);
    expect(many).toEqual(none);
  });

  it('shows every one of 200 comments, with the login pictures, from those statements', async () => {
    addComments(200);
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.text).toContain('200 thoughts on');
    expect(res.text.match(/<li id="comment-\d+"/g)).toHaveLength(200);
    expect(res.text).toContain('<p>Comment number 199</p>');
    expect(res.text.match(/src="https:\/\/pictures\.example\/gita\.png"/g)).toHaveLength(67);
  });
});
