import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

/** What the importer records for each item it brings over. */
const origin = (kind: 'post' | 'term', wpId: number, localId: number, site = 'https://imers.wordpress.com') =>
  t.db.prepare('INSERT INTO wp_origins (site, kind, wp_id, local_id) VALUES (?, ?, ?, ?)').run(site, kind, wpId, localId);

describe('GET /?p=ID and /?page_id=ID', () => {
  it('answers 301 to the imported post’s current address, extra parameters ignored', async () => {
    const id = addPost(t, { slug: 'imported-post', publishedAt: '2016-05-12T03:00:00.000Z' });
    origin('post', 1234, id);
    await request(t.app).get('/?p=1234').expect(301).expect('Location', '/2016/05/12/imported-post/');
    await request(t.app).get('/?p=1234&preview=true').expect(301).expect('Location', '/2016/05/12/imported-post/');
  });

  it('answers 301 to an imported page, including a child page’s full path', async () => {
    const parent = addPost(t, { slug: 'about', type: 'page' });
    const child = addPost(t, { slug: 'team', type: 'page' });
    t.db.prepare('UPDATE posts SET parent_id = ? WHERE id = ?').run(parent, child);
    origin('post', 7, child);
    await request(t.app).get('/?page_id=7').expect(301).expect('Location', '/about/team/');
  });

  it('answers the themed 404 for an unknown id, a draft, or a value that is not an id', async () => {
    const draft = addPost(t, { slug: 'still-a-draft', status: 'draft' });
    origin('post', 55, draft);
    for (const path of ['/?p=999', '/?page_id=999', '/?p=55', '/?p=abc', '/?p=']) {
      const res = await request(t.app).get(path).expect(404);
      expect(res.text).toContain('<html');
    }
  });

  it('leaves the home page alone without those parameters, and reads wp_origins only with them', async () => {
    const readsOrigins = async (path: string, status: number) => {
      const counter = countStatements(t.db);
      try {
        await request(t.app).get(path).expect(status);
      } finally {
        counter.restore();
      }
      return counter.ran.some((sql) => sql.includes('wp_origins'));
    };
    expect(await readsOrigins('/?utm_source=x', 200)).toBe(false);
    expect(await readsOrigins('/', 200)).toBe(false);
    expect(await readsOrigins('/?p=1', 404)).toBe(true);
  });
});

describe('GET /?cat=ID and /?tag=slug', () => {
  it('answers 301 to the category’s and the tag’s archives', async () => {
    addPost(t, { slug: 'filed', categories: [{ slug: 'sosmed', name: 'Sosmed' }], tags: [{ slug: 'seo', name: 'SEO' }] });
    const category = t.db.prepare("SELECT id FROM terms WHERE taxonomy = 'category' AND slug = 'sosmed'").pluck().get() as number;
    origin('term', 12, category);
    await request(t.app).get('/?cat=12').expect(301).expect('Location', '/category/sosmed/');
    await request(t.app).get('/?tag=seo').expect(301).expect('Location', '/tag/seo/');
    await request(t.app).get('/?cat=13').expect(404);
    await request(t.app).get('/?tag=nothing').expect(404);
  });
});

describe('WordPress\'s date archives, list pages and comment pages', () => {
  it('lists a day\'s posts at /YYYY/MM/DD/, dated in the site\'s time zone, and 404s a day that does not exist', async () => {
    addPost(t, { slug: 'pagi', title: 'Pagi di Jakarta', publishedAt: '2026-03-09T23:30:00.000Z' });
    addPost(t, { slug: 'kemarin', title: 'Sehari sebelumnya', publishedAt: '2026-03-08T23:30:00.000Z' });
    t.services.settings.update({ timeZone: 'Asia/Jakarta' });
    t.services.pageCache.changes.everything();
    const day = (await request(t.app).get('/2026/03/10/').expect(200)).text;
    expect(day).toContain('Day: March 10, 2026');
    expect(day).toContain('Pagi di Jakarta');
    expect(day).not.toContain('Sehari sebelumnya');
    await request(t.app).get('/2026/02/30/').expect(404);
    await request(t.app).get('/2026/03/10/page/1/').expect(301).expect('Location', '/2026/03/10/');
  });

  it('answers ?m=, ?paged= and /comment-page-N/ with a 301 to the address here', async () => {
    const moved: [string, string][] = [
      ['/?m=2016', '/2016/'], ['/?m=201605', '/2016/05/'], ['/?m=20160512', '/2016/05/12/'], ['/?m=201605&paged=2', '/2016/05/page/2/'],
      ['/?paged=3', '/page/3/'], ['/?paged=1', '/'], ['/?paged=abc', '/'],
      ['/2016/05/12/trend-life-style-menjadi-pasangan-imers/comment-page-2/', '/2016/05/12/trend-life-style-menjadi-pasangan-imers/?cpage=2'],
      ['/2016/05/12/trend-life-style-menjadi-pasangan-imers/comment-page-1/', '/2016/05/12/trend-life-style-menjadi-pasangan-imers/'],
    ];
    addPost(t, { slug: 'tentang', type: 'page', title: 'Tentang' });
    moved.push(['/tentang/comment-page-2/', '/tentang/?cpage=2']);
    // Addresses match routes in any case: the post's own part of the address is kept as it came.
    moved.push(['/2016/05/12/trend-life-style-menjadi-pasangan-imers/COMMENT-PAGE-3/', '/2016/05/12/trend-life-style-menjadi-pasangan-imers/?cpage=3']);
    for (const [from, to] of moved) await request(t.app).get(from).expect(301).expect('Location', to);
    for (const path of ['/?m=2016130', '/?m=20161301', '/?m=abc', '/?m=0000']) await request(t.app).get(path).expect(404);
    // A search's own page number is not a list's.
    expect((await request(t.app).get('/?s=imers&paged=1').expect(200)).text).toContain('IMers');
  });
});
