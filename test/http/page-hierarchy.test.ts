import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';
import { adminAgent, editor } from '../support/admin.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

/** A published page under another (set with plain SQL, as the importer and the editor store it). */
function addPage(slug: string, parentId: number | null = null) {
  const id = addPost(t, { slug, type: 'page', title: `Page ${slug}`, markdown: `Body of page ${slug}.` });
  t.db.prepare('UPDATE posts SET parent_id = ? WHERE id = ?').run(parentId, id);
  return id;
}

describe('GET /parent/child/', () => {
  it('shows a child page at its parent’s path, any depth', async () => {
    const a = addPage('about');
    const b = addPage('team', a);
    addPage('jakarta', b);
    expect((await request(t.app).get('/about/').expect(200)).text).toContain('Body of page about.');
    expect((await request(t.app).get('/about/team/').expect(200)).text).toContain('Body of page team.');
    const deep = await request(t.app).get('/about/team/jakarta/').expect(200);
    expect(deep.text).toContain('Body of page jakarta.');
    expect(deep.text).toContain('<link rel="canonical" href="http://blog.test/about/team/jakarta/">');
  });

  it('answers a child page’s bare /child/ address with 301 to its full path', async () => {
    addPage('jakarta', addPage('team', addPage('about')));
    await request(t.app).get('/jakarta/').expect(301).expect('Location', '/about/team/jakarta/');
    await request(t.app).get('/team/').expect(301).expect('Location', '/about/team/');
  });

  it('answers 404 for a path whose parents are not the page’s', async () => {
    addPage('team', addPage('about'));
    addPage('contact');
    await request(t.app).get('/contact/team/').expect(404);
    await request(t.app).get('/nothing/team/').expect(404);
    await request(t.app).get('/about/nothing/').expect(404);
    // A top-level page is not found under another.
    await request(t.app).get('/about/contact/').expect(404);
  });

  it('resolves a path in the same number of statements however deep the page is', async () => {
    let parent: number | null = null;
    for (const slug of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']) parent = addPage(slug, parent);
    const statementsFor = async (path: string) => {
      const counter = countStatements(t.db);
      try {
        await request(t.app).get(path).expect(200);
      } finally {
        counter.restore();
      }
      return counter.ran.length;
    };
    await request(t.app).get('/l1/').expect(200); // settings and the like are read once, by the first page
    const shallow = await statementsFor('/l1/l2/');
    expect(await statementsFor('/l1/l2/l3/l4/l5/l6/')).toBe(shallow);
  });

  it('links to a child page by its full path in the sitemap', async () => {
    addPage('team', addPage('about'));
    const sitemap = await request(t.app).get('/sitemap.xml').expect(200);
    expect(sitemap.text).toContain('<loc>http://blog.test/about/team/</loc>');
    expect(sitemap.text).not.toContain('<loc>http://blog.test/team/</loc>');
  });
});

describe('changing a parent page in the admin', () => {
  it('moves its children’s addresses with a new slug, the old ones answering 301', async () => {
    const about = addPage('about');
    addPage('jakarta', addPage('team', about));
    await request(t.app).get('/about/team/jakarta/').expect(200); // kept by the page cache, if on
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/pages/${about}/edit/`).type('form')
      .send(editor({ _csrf: csrf, title: 'About us', slug: 'about-us', markdown: 'Body of page about.', status: 'published' }))
      .expect(303);
    expect((await request(t.app).get('/about-us/team/jakarta/').expect(200)).text).toContain('Body of page jakarta.');
    await request(t.app).get('/about/team/jakarta/').expect(301).expect('Location', '/about-us/team/jakarta/');
    await request(t.app).get('/about/team/').expect(301).expect('Location', '/about-us/team/');
    await request(t.app).get('/about/').expect(301).expect('Location', '/about-us/');
  });

  it('keeps its children answering when it is trashed: they move up a level, the old paths answering 301', async () => {
    const company = addPage('company');
    const about = addPage('about', company);
    addPage('jakarta', addPage('team', about));
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/pages/${about}/trash/`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await request(t.app).get('/company/team/jakarta/').expect(200)).text).toContain('Body of page jakarta.');
    await request(t.app).get('/company/about/team/jakarta/').expect(301).expect('Location', '/company/team/jakarta/');
    await request(t.app).get('/company/about/team/').expect(301).expect('Location', '/company/team/');
    await request(t.app).get('/company/about/').expect(404);
  });
});
