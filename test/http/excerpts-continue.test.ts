import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { rerender } from '../../src/rerender.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const category = [{ slug: 'catatan', name: 'Catatan' }];
const longText = Array.from({ length: 70 }, (_, i) => `kata${i}`).join(' ');

/** The home list's entry for a post, from its title to the end of its article. */
const entryOf = (page: string, title: string) => {
  const start = page.indexOf(`rel="bookmark">${title}</a>`);
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</article>', start));
};

describe('home list excerpts and "Continue reading"', () => {
  beforeEach(() => {
    addPost(t, { slug: 'pendek', title: 'Pendek', markdown: '## Judul kecil\n\nSatu paragraf saja.', categories: category, publishedAt: '2024-01-01T00:00:00.000Z' });
    addPost(t, { slug: 'panjang', title: 'Panjang', markdown: longText, categories: category, publishedAt: '2024-01-02T00:00:00.000Z' });
    addPost(t, { slug: 'berkode', title: 'Berkode', markdown: 'Lihat kodenya.\n\n```js\nconsole.log(1);\n```', categories: category, publishedAt: '2024-01-03T00:00:00.000Z' });
  });

  it('shows a short post whole, as sentences, with no "Continue reading"', async () => {
    const entry = entryOf((await request(t.app).get('/').expect(200)).text, 'Pendek');
    expect(entry).toContain('<p>Judul kecil. Satu paragraf saja.</p>');
    expect(entry).not.toContain('Continue reading');
  });

  it('offers "Continue reading" under a post cut at 55 words, and under one whose code the excerpt leaves out', async () => {
    const home = (await request(t.app).get('/').expect(200)).text;
    expect(entryOf(home, 'Panjang')).toContain('kata54…</p>');
    expect(entryOf(home, 'Panjang')).toContain('Continue reading “Panjang”');
    expect(entryOf(home, 'Berkode')).toContain('<p>Lihat kodenya.</p>');
    expect(entryOf(home, 'Berkode')).not.toContain('console.log');
    expect(entryOf(home, 'Berkode')).toContain('Continue reading “Berkode”');
  });

  it('follows the same rule in an archive, in the site’s language', async () => {
    t.services.settings.update({ language: 'id' });
    const archive = (await request(t.app).get('/category/catatan/').expect(200)).text;
    expect(entryOf(archive, 'Pendek')).not.toMatch(/class="more"/);
    expect(entryOf(archive, 'Panjang')).toContain('Lanjutkan membaca “Panjang”');
  });
});

describe('the home page’s <h1>', () => {
  it('is the site title on the home page, hidden from sight as the header already shows it; an archive keeps its own', async () => {
    const { title } = t.services.settings.get();
    const home = (await request(t.app).get('/').expect(200)).text;
    expect(home.match(/<h1\b/g)).toHaveLength(1);
    expect(home).toContain(`<h1 class="visually-hidden">${title}</h1>`);
    addPost(t, { slug: 'x', categories: category });
    const archive = (await request(t.app).get('/category/catatan/').expect(200)).text;
    expect(archive.match(/<h1\b/g)).toHaveLength(1);
    expect(archive).not.toContain('<h1 class="visually-hidden">');
  });
});

describe('migration 0014 on a blog with posts from the earlier renderer', () => {
  it('renders them again at start-up: highlighted code, a focusable block and the new excerpt', async () => {
    const id = addPost(t, { slug: 'lama', title: 'Lama', markdown: '# Halo\n\n- Satu\n\n```js\nlet a = 1;\n```' });
    // What the renderer before issue 12 stored, on a blog that had not applied 0014 yet.
    t.db.prepare(`UPDATE posts SET body_html = '<h1>Halo</h1><ul><li>Satu</li></ul><pre><code class="language-js">let a = 1;</code></pre>',
      excerpt_html = '<p>Halo Satu let a = 1;</p>' WHERE id = ?`).run(id);
    t.db.exec("DELETE FROM pending_work; DELETE FROM schema_migrations WHERE name = '0014_rerender_code_excerpts.sql'");
    expect(migrate(t.db, migrationsDir)).toEqual(['0014_rerender_code_excerpts.sql']);
    rerender(t.services, () => {});
    const page = (await request(t.app).get(t.services.posts.permalinkOf(id)!).expect(200)).text;
    expect(page).toContain('<pre tabindex="0"><code class="hljs language-js"><span class="hljs-keyword">let</span>');
    expect(entryOf((await request(t.app).get('/').expect(200)).text, 'Lama')).toContain('<p>Halo. Satu.</p>');
  });
});

describe('migration 0018 on a blog from before lists knew whether a post says more', () => {
  it('offers "Continue reading" under every post until the re-render at start-up works out which say more', async () => {
    addPost(t, { slug: 'pendek', title: 'Pendek', markdown: 'Satu paragraf saja.' });
    addPost(t, { slug: 'panjang', title: 'Panjang', markdown: longText });
    t.db.exec(`ALTER TABLE posts DROP COLUMN says_more; DELETE FROM pending_work;
      DELETE FROM schema_migrations WHERE name = '0018_says_more.sql'`);
    expect(migrate(t.db, migrationsDir)).toEqual(['0018_says_more.sql']);
    // Before the re-render every post offers it, as every list did before issue 12.
    expect(entryOf((await request(t.app).get('/').expect(200)).text, 'Pendek')).toContain('Continue reading');
    rerender(t.services, () => {});
    t.services.pageCache.changes.everything(); // at start-up the cache is empty; here the page above was kept
    const home = (await request(t.app).get('/').expect(200)).text;
    expect(entryOf(home, 'Pendek')).not.toContain('Continue reading');
    expect(entryOf(home, 'Panjang')).toContain('Continue reading “Panjang”');
  });
});

describe('migration 0025 on a blog whose posts\' text ran blocks together', () => {
  it('renders them again at start-up: the divs come back, and the description and the search see each word', async () => {
    const id = addPost(t, { slug: 'kode', title: 'Kode', markdown: '- pakai `div`\n  ```js\n  const x = 1;\n  ```\n\n<div>Baris satu.</div><div>Baris dua.</div>' });
    // What the renderer before 0025 stored: the divs dropped, and the text of the item and its code run together.
    t.db.prepare(`UPDATE posts SET body_html = replace(replace(body_html, '<div>', ''), '</div>', ''),
      body_text = 'pakai divconst x = 1; Baris satu.Baris dua.' WHERE id = ?`).run(id);
    t.db.exec("DELETE FROM pending_work; DELETE FROM schema_migrations WHERE name = '0025_rerender_blocks.sql'");
    t.services.pageCache.changes.everything();
    const permalink = t.services.posts.permalinkOf(id)!;
    expect((await request(t.app).get(permalink).expect(200)).text).toContain('<meta name="description" content="pakai divconst x = 1; Baris satu.Baris dua.">');
    expect((await request(t.app).get('/?s=const').expect(200)).text).not.toContain('>Kode</a>');

    expect(migrate(t.db, migrationsDir)).toEqual(['0025_rerender_blocks.sql']);
    rerender(t.services, () => {});
    t.services.pageCache.changes.everything(); // at start-up the cache is empty; here the page above was kept
    const page = (await request(t.app).get(permalink).expect(200)).text;
    expect(page).toContain('<meta name="description" content="pakai div const x = 1; Baris satu. Baris dua.">');
    expect(page).toContain('<div>Baris satu.</div><div>Baris dua.</div>');
    expect((await request(t.app).get('/?s=const').expect(200)).text).toContain('>Kode</a>');
  });
});

describe('migration 0027 on a blog whose comments kept empty paragraphs around a quote', () => {
  it('settles them again at start-up without the empty paragraphs, the quote and the words kept', async () => {
    const insert = t.db.prepare(`INSERT INTO comments (post_id, status, author_name, body_html) VALUES (1, 'approved', 'Ani', ?)`);
    const id = Number(insert.run('<p>Dia bilang:</p>\n<p></p><blockquote>kutipan</blockquote><p></p>').lastInsertRowid);
    t.db.exec("DELETE FROM pending_work; DELETE FROM schema_migrations WHERE name = '0027_comment_empty_paragraphs.sql'");
    expect(migrate(t.db, migrationsDir)).toEqual(['0027_comment_empty_paragraphs.sql']);
    rerender(t.services, () => {});
    expect(t.db.prepare('SELECT body_html FROM comments WHERE id = ?').pluck().get(id)).toBe('<p>Dia bilang:</p>\n<blockquote>kutipan</blockquote>');
  });
});
