import { describe, expect, it } from 'vitest';
import type { Comment } from '../../src/models.js';
import { postFromColumns } from '../../src/repositories/post-columns.js';
import { buildTree } from '../../src/services/comment-thread.js';
import { collectGarbage, oldSpaceBytes } from '../support/old-space.js';

/**
 * Old-generation bytes left by `make`, called as often as a busy server renders, each call among some short-lived
 * garbage as a page's rendering makes. Copies that die young must not end up there.
 */
function oldBytesLeftBy(make: (i: number) => unknown) {
  let kept = 0;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      kept += make(i) ? 1 : 0;
      let page = '';
      for (let k = 0; k < 1_000; k++) page += `<p>${k}</p>`;
      kept += page.length > 0 ? 1 : 0;
    }
  };
  run(2_000);
  collectGarbage();
  const before = oldSpaceBytes();
  run(20_000);
  return { grown: oldSpaceBytes() - before, kept };
}

const comment = (id: number, parentId: number | null): Comment => ({
  id, postId: 1, parentId, status: 'approved', authorName: `Reader ${id}`, authorUrl: '', avatarHash: 'a'.repeat(64),
  pictureUrl: '', commenterId: null, bodyHtml: `<p>Comment ${id}</p>`, createdAt: '2016-05-13T00:00:00.000Z', fromFediverse: 0,
});

describe('copies made while rendering a page', () => {
  it('a comment thread built for every page leaves under 1 MB in the old generation over 20,000 builds', () => {
    // Spread copies with added properties (`{ ...c, depth, children }`) left 700 kB there at every young collection.
    const comments = Array.from({ length: 20 }, (_, i) => comment(i + 1, i % 7 === 6 ? i : null));
    const { grown } = oldBytesLeftBy(() => buildTree(comments).roots.length);
    expect(grown).toBeLessThan(1_000_000);
  });

  it('a post made from its row for every page leaves under 1 MB in the old generation over 20,000 posts', () => {
    // A row as a list reads it (.raw()), in SELECT's column order.
    const row = (id: number) => [id, 'post', 'published', `post-${id}`, `Post ${id}`, null, 'markdown', null, 0, null, '', `<p>Excerpt ${id}</p>`, 0,
      1, 'newbie-im', 'Newbie', 1, '2016-05-12T00:00:00.000Z', '2016-05-12T00:00:00.000Z', `key-${id}`, 0, 0, 3,
      null, null, null, null, null, null, null, null];
    const rows = Array.from({ length: 10 }, (_, k) => row(k + 1));
    const { grown } = oldBytesLeftBy(() => rows.map(postFromColumns).length);
    expect(grown).toBeLessThan(1_000_000);
  });
});
