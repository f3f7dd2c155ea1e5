import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
  t.services.settings.update({ postsPerPage: 2 });
});
afterEach(() => t.close());

/** sosmed > seo > backlinks, as the importer stores nested categories. */
function nest() {
  const id = (slug: string) => t.db.prepare("SELECT id FROM terms WHERE taxonomy = 'category' AND slug = ?").pluck().get(slug) as number;
  t.db.prepare('UPDATE terms SET parent_id = ? WHERE id = ?').run(id('sosmed'), id('seo'));
  t.db.prepare('UPDATE terms SET parent_id = ? WHERE id = ?').run(id('seo'), id('backlinks'));
}

const cat = (slug: string) => ({ slug, name: slug });
const titles = (html: string) => [...html.matchAll(/rel="bookmark">([^<]+)</g)].map((m) => m[1]);
const day = (d: number) => new Date(Date.UTC(2021, 0, d, 12)).toISOString();

describe('GET /category/parent/', () => {
  it('lists the posts of its children and grandchildren too, each once, across pages', async () => {
    addPost(t, { slug: 'only-grandchild', title: 'Only grandchild', publishedAt: day(1), categories: [cat('backlinks')] });
    addPost(t, { slug: 'child-and-grandchild', title: 'Child and grandchild', publishedAt: day(2), categories: [cat('seo'), cat('backlinks')] });
    addPost(t, { slug: 'in-all-three', title: 'In all three', publishedAt: day(3), categories: [cat('sosmed'), cat('seo'), cat('backlinks')] });
    addPost(t, { slug: 'parent-only', title: 'Parent only', publishedAt: day(4), categories: [cat('sosmed')] });
    addPost(t, { slug: 'elsewhere', title: 'Elsewhere', publishedAt: day(5), categories: [cat('other')] });
    nest();
    const first = await request(t.app).get('/category/sosmed/').expect(200);
    expect(titles(first.text)).toEqual(['Parent only', 'In all three']);
    expect(first.text).toContain('Page 1 of 2');
    const second = await request(t.app).get('/category/sosmed/page/2/').expect(200);
    expect(titles(second.text)).toEqual(['Child and grandchild', 'Only grandchild']);
    await request(t.app).get('/category/sosmed/page/3/').expect(404);
    // A child's archive holds its own subtree only.
    const child = await request(t.app).get('/category/seo/').expect(200);
    expect(titles(child.text)).toEqual(['In all three', 'Child and grandchild']);
    expect(child.text).toContain('Page 1 of 2');
  });

  it('lists only published posts of the subtree', async () => {
    addPost(t, { slug: 'draft-in-child', title: 'Draft in child', status: 'draft', categories: [cat('seo')] });
    addPost(t, { slug: 'parent-post', title: 'Parent post', publishedAt: day(1), categories: [cat('sosmed'), cat('backlinks')] });
    nest();
    const res = await request(t.app).get('/category/sosmed/').expect(200);
    expect(titles(res.text)).toEqual(['Parent post']);
  });
});

describe('GET /category/parent/child/ (WordPress’s address of a child category)', () => {
  it('answers 301 to the child’s /category/child/, pages too; 404 for a path that is not its ancestry', async () => {
    addPost(t, { slug: 'filed', categories: [cat('sosmed'), cat('seo'), cat('backlinks'), cat('other')] });
    nest();
    await request(t.app).get('/category/sosmed/seo/').expect(301).expect('Location', '/category/seo/');
    await request(t.app).get('/category/sosmed/seo/backlinks/').expect(301).expect('Location', '/category/backlinks/');
    await request(t.app).get('/category/sosmed/seo/page/2/').expect(301).expect('Location', '/category/seo/page/2/');
    await request(t.app).get('/category/other/seo/').expect(404);
    await request(t.app).get('/category/seo/backlinks/').expect(404);
    await request(t.app).get('/category/sosmed/nothing/').expect(404);
  });
});
