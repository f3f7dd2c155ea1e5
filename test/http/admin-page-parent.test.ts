import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: Awaited<ReturnType<typeof adminAgent>>;
beforeEach(async () => {
  t = makeTestApp();
  admin = await adminAgent(t);
});
afterEach(() => t.close());

const NBSP = '\u00a0';
const parentOf = (id: number) => t.db.prepare('SELECT parent_id FROM posts WHERE id = ?').pluck().get(id);

/** Saves a page through the editor (a new one, or `id`), as the administrator's browser sends the form. */
const savePage = (fields: Record<string, string>, id?: number) =>
  admin.agent.post(id ? `/admin/pages/${id}/edit/` : '/admin/pages/new/').type('form')
    .send(editor({ _csrf: admin.csrf, status: 'published', ...fields }));

async function newPage(slug: string, parent = '') {
  const res = await savePage({ title: `Page ${slug}`, slug, markdown: `Body of ${slug}.`, parent_id: parent });
  expect(res.status).toBe(303);
  return Number(/\/admin\/pages\/(\d+)\/edit\//.exec(res.headers.location)![1]);
}

/** about › team › jakarta, and contact. */
async function tree() {
  const about = await newPage('about');
  const team = await newPage('team', String(about));
  const jakarta = await newPage('jakarta', String(team));
  const contact = await newPage('contact');
  return { about, team, jakarta, contact };
}

/** The Parent select's options (the editor has other selects, such as the featured image's). */
const options = (html: string) =>
  [...(/<select id="parent_id"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '').matchAll(/<option value="(\d*)"( selected)?>([^<]*)<\/option>/g)].map(([, value, selected, label]) => ({ value, selected: !!selected, label }));

describe('the page editor’s Parent', () => {
  it('lists no parent and every other page indented by depth, without the page and the pages under it', async () => {
    const { about, team, jakarta, contact } = await tree();
    const fresh = (await admin.agent.get('/admin/pages/new/').expect(200)).text;
    expect(fresh).toContain('<h2>Page Attributes</h2>');
    expect(fresh).toContain('<label for="parent_id">Parent</label>');
    expect(options(fresh)).toEqual([
      { value: '', selected: false, label: '(no parent)' },
      { value: String(about), selected: false, label: 'Page about' },
      { value: String(team), selected: false, label: `${NBSP.repeat(3)}Page team` },
      { value: String(jakarta), selected: false, label: `${NBSP.repeat(6)}Page jakarta` },
      { value: String(contact), selected: false, label: 'Page contact' },
    ]);
    const editingTeam = (await admin.agent.get(`/admin/pages/${team}/edit/`).expect(200)).text;
    expect(options(editingTeam)).toEqual([
      { value: '', selected: false, label: '(no parent)' },
      { value: String(about), selected: true, label: 'Page about' },
      { value: String(contact), selected: false, label: 'Page contact' },
    ]);
    expect((await admin.agent.get('/admin/posts/new/').expect(200)).text).not.toContain('parent_id');
  });

  it('saves the parent: the page answers under it, its old address and its children’s answer 301, nothing stale from the cache', async () => {
    const { team, contact } = await tree();
    for (const path of ['/about/team/', '/about/team/jakarta/']) await request(t.app).get(path).expect(200); // now in the page cache
    expect((await savePage({ title: 'Page team', slug: 'team', markdown: 'Body of team.', parent_id: String(contact) }, team)).status).toBe(303);
    expect(parentOf(team)).toBe(contact);
    expect((await request(t.app).get('/contact/team/').expect(200)).text).toContain('Body of team.');
    expect((await request(t.app).get('/contact/team/jakarta/').expect(200)).text).toContain('Body of jakarta.');
    await request(t.app).get('/about/team/').expect(301).expect('Location', '/contact/team/');
    await request(t.app).get('/about/team/jakarta/').expect(301).expect('Location', '/contact/team/jakarta/');
  });

  it('puts a page back at the top level with no parent', async () => {
    const { team } = await tree();
    expect((await savePage({ title: 'Page team', slug: 'team', parent_id: '' }, team)).status).toBe(303);
    expect(parentOf(team)).toBeNull();
    expect((await request(t.app).get('/team/jakarta/').expect(200)).text).toContain('Body of jakarta.');
    await request(t.app).get('/about/team/').expect(301).expect('Location', '/team/');
  });

  it('refuses the page itself or a page under it as parent: 422, the form kept, the problem named, nothing saved', async () => {
    const { about, team, jakarta } = await tree();
    for (const parent of [team, jakarta]) {
      const res = await savePage({ title: 'Renamed team', slug: 'team', parent_id: String(parent) }, team);
      expect(res.status).toBe(422);
      expect(res.text).toContain('value="Renamed team"');
      expect(res.text).toContain('A page cannot be its own parent, nor go under one of its own subpages.');
      expect(res.text).toContain('aria-describedby="parent-error"');
    }
    expect(parentOf(team)).toBe(about);
    expect(t.db.prepare('SELECT title FROM posts WHERE id = ?').pluck().get(team)).toBe('Page team');
  });

  it('refuses a parent that is not a page, or is in the trash', async () => {
    const { about } = await tree();
    const post = t.db.prepare("SELECT id FROM posts WHERE type = 'post'").pluck().get() as number;
    for (const parent of [String(post), '999999', 'about']) {
      const res = await savePage({ title: 'Orphan', parent_id: parent });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Choose a parent from the list of pages.');
    }
    await admin.agent.post(`/admin/pages/${about}/trash/`).type('form').send({ _csrf: admin.csrf }).expect(303);
    expect((await savePage({ title: 'Orphan', parent_id: String(about) })).status).toBe(422);
    expect(t.db.prepare("SELECT count(*) FROM posts WHERE title = 'Orphan'").pluck().get()).toBe(0);
  });

  it('refuses a parent that would put the page, or a page under it, deeper than 10 levels', async () => {
    let parent = '';
    const chain: number[] = [];
    for (let level = 1; level <= 10; level++) {
      chain.push(await newPage(`level-${level}`, parent));
      parent = String(chain.at(-1));
    }
    const deep = await savePage({ title: 'Eleventh', parent_id: String(chain[9]) });
    expect(deep.status).toBe(422);
    expect(deep.text).toContain('Pages nest at most 10 levels deep: under this parent, this page or its subpages would go deeper.');
    expect((await savePage({ title: 'Tenth', parent_id: String(chain[8]) })).status).toBe(303);
    // A page with a child under level 9 would put that child at level 11.
    const withChild = await newPage('with-child');
    await newPage('its-child', String(withChild));
    const moved = await savePage({ title: 'Page with-child', slug: 'with-child', parent_id: String(chain[8]) }, withChild);
    expect(moved.status).toBe(422);
    expect(moved.text).toContain('Pages nest at most 10 levels deep');
    expect(parentOf(withChild)).toBeNull();
  });

  it('names the problem in Indonesian on an Indonesian blog', async () => {
    const { team } = await tree();
    t.services.settings.update({ language: 'id' } as never);
    const res = await savePage({ title: 'Page team', slug: 'team', parent_id: String(team) }, team);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Atribut Laman');
    expect(res.text).toContain('(tanpa induk)');
    expect(res.text).toContain('Laman tidak dapat menjadi induknya sendiri');
  });
});
