import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

/** A classic-editor post as a WordPress export holds it: paragraphs are blank lines, a <pre> kept as typed. */
const CLASSIC = 'Halo dari WordPress.\nBaris kedua.\n\n<pre>a\n\n  b</pre>\n\nAkhir & selesai.';
const CLASSIC_HTML = '<p>Halo dari WordPress.<br />\nBaris kedua.</p>\n<pre tabindex="0">a\n\n  b</pre>\n<p>Akhir &amp; selesai.</p>';

/** An imported post, stored as the importer stores one: its HTML source, format 'html'. */
const importedPost = (slug: string, markdown: string) =>
  addPost(t, { slug, title: 'Dari WordPress', markdown, sourceFormat: 'html', publishedAt: '2016-05-12T03:00:00.000Z' });

const stored = (id: number) =>
  t.db.prepare('SELECT source_format AS format, body_markdown AS source, body_html AS html FROM posts WHERE id = ?').get(id) as {
    format: string; source: string; html: string;
  };

const textareaOf = (page: string) => /<textarea id="markdown"[^>]*>([^<]*)<\/textarea>/.exec(page)?.[1];

describe('posts whose source is WordPress HTML', () => {
  it('shows an imported classic post with WordPress paragraphs, its <pre> untouched', async () => {
    t = makeTestApp();
    const id = importedPost('dari-wordpress', CLASSIC);
    expect(stored(id).html).toBe(CLASSIC_HTML);
    const page = await request(t.app).get('/2016/05/12/dari-wordpress/');
    expect(page.status).toBe(200);
    expect(page.text).toContain(CLASSIC_HTML);
  });

  it('opens in the editor with its HTML source and an HTML label, saves as HTML, and the page stays right', async () => {
    t = makeTestApp();
    const id = importedPost('dari-wordpress', CLASSIC);
    const { agent, csrf } = await adminAgent(t);
    const edit = await agent.get(`/admin/posts/${id}/edit/`);
    expect(edit.text).toContain('Text (HTML, imported from WordPress)');
    expect(edit.text).not.toContain('Text (Markdown)');
    expect(textareaOf(edit.text)).toBe('Halo dari WordPress.\nBaris kedua.\n\n&lt;pre&gt;a\n\n  b&lt;/pre&gt;\n\nAkhir &amp; selesai.');

    const changed = `${CLASSIC}\n\nTambahan *bukan* Markdown.`;
    const saved = await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: 'Dari WordPress', slug: 'dari-wordpress', status: 'published', markdown: changed, publish_at: '2016-05-12T10:00',
    }));
    expect(saved.status).toBe(303);
    expect(stored(id)).toEqual({ format: 'html', source: changed, html: `${CLASSIC_HTML}\n<p>Tambahan *bukan* Markdown.</p>` });
    const page = await request(t.app).get('/2016/05/12/dari-wordpress/');
    expect(page.text).toContain('<p>Tambahan *bukan* Markdown.</p>');
    expect(page.text).toContain('<pre tabindex="0">a\n\n  b</pre>');
  });

  it('previews an HTML post through the HTML path, with the button and the live preview', async () => {
    t = makeTestApp();
    const id = importedPost('dari-wordpress', CLASSIC);
    const { agent, csrf } = await adminAgent(t);
    const preview = await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: 'Dari WordPress', intent: 'preview', markdown: 'satu\ndua',
    }));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('<p>satu<br />\ndua</p>');
    expect(stored(id).source).toBe(CLASSIC);
    const live = await agent.post('/admin/preview/').type('form').send({ _csrf: csrf, markdown: 'satu\ndua', format: 'html' });
    expect(live.body).toEqual({ html: '<p>satu<br />\ndua</p>' });
    const markdown = await agent.post('/admin/preview/').type('form').send({ _csrf: csrf, markdown: 'satu\ndua' });
    expect(markdown.body).toEqual({ html: '<p>satu\ndua</p>\n' });
  });

  it('keeps a Markdown post Markdown, and makes a new post Markdown', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/posts/new/')).text).toContain('Text (Markdown)');
    const created = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Baru', markdown: 'Ini *Markdown*.' }));
    const id = Number(/\/admin\/posts\/(\d+)\/edit\//.exec(created.headers.location)![1]);
    expect(stored(id)).toEqual({ format: 'markdown', source: 'Ini *Markdown*.', html: '<p>Ini <em>Markdown</em>.</p>\n' });
    const edit = await agent.get(`/admin/posts/${id}/edit/`);
    expect(edit.text).toContain('Text (Markdown)');
    expect(edit.text).not.toContain('imported from WordPress');
  });

  it('is rendered again by its own format when a migration asks for the stored HTML to be remade', () => {
    t = makeTestApp();
    const html = importedPost('dari-wordpress', CLASSIC);
    const markdown = addPost(t, { slug: 'markdown', markdown: 'Satu\ndua' });
    t.db.prepare("UPDATE posts SET body_html = 'old' WHERE id IN (?, ?)").run(html, markdown);
    t.db.prepare("INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html')").run();
    expect(t.services.storedHtml.rerenderIfRequested()).toEqual({ posts: 2, comments: 0 });
    expect(stored(html).html).toBe(CLASSIC_HTML);
    expect(stored(markdown).html).toBe('<p>Satu\ndua</p>\n');
  });
});
