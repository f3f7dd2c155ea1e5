import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, logIn } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

const NOW = '2026-06-01T10:00:00Z';
const idFrom = (location: string) => Number(/\/(\d+)\/edit\//.exec(location)?.[1]);
/** The editor's submit buttons, as `intent: label` (the Switch to draft button, which belongs to its own form, apart). */
const buttons = (html: string) => Object.fromEntries([...html.matchAll(/<button type="submit" name="intent" value="(\w+)"[^>]*>([^<]*)<\/button>/g)].map((m) => [m[1], m[2]]));
const switchToDraft = (html: string) => /<button type="submit" form="switch-to-draft"[^>]*>Switch to draft<\/button>/.test(html);
const statusLine = (html: string) => /<p class="publish-status">Status: <strong>([^<]*)<\/strong><\/p>/.exec(html)?.[1];
const notice = (html: string) => /<p class="notice" role="status">(.*?)<\/p>/.exec(html)?.[1];
const statusOf = (id: number) => t.db.prepare('SELECT status FROM posts WHERE id = ?').pluck().get(id);

async function writer() {
  t = makeTestApp({ now: manualClock(NOW).now });
  return adminAgent(t);
}

describe('the Publish panel of a new post', () => {
  it('offers Publish first, then Save draft and Preview, with no status menu', async () => {
    const { agent } = await writer();
    const html = (await agent.get('/admin/posts/new/')).text;
    expect(buttons(html)).toEqual({ publish: 'Publish', draft: 'Save draft', preview: 'Preview' });
    // The first submit button is what Enter in a field presses: the primary one.
    expect(/<button type="submit" name="intent" value="(\w+)"/.exec(html)?.[1]).toBe('publish');
    expect(html).not.toContain('name="status"');
    expect(statusLine(html)).toBe('Draft');
    expect(switchToDraft(html)).toBe(false);
  });

  it('publishes with Publish: the post is on the home page, and the editor says so with a link to it', async () => {
    const { agent, csrf } = await writer();
    const res = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, intent: 'publish', title: 'Halo dunia', markdown: 'Tulisan pertama.', publish_at: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\/edit\/\?done=published$/);
    expect((await request(t.app).get('/')).text).toContain('Halo dunia');
    expect((await request(t.app).get('/2026/06/01/halo-dunia/')).status).toBe(200);

    const html = (await agent.get(res.headers.location)).text;
    expect(notice(html)).toBe('Post published. <a href="/2026/06/01/halo-dunia/">View post</a>');
    expect(statusLine(html)).toMatch(/^Published on June 1, 2026(,| at) 10:00\sAM$/);
    expect(html).toMatch(/<p class="publish-address">Permalink: <a href="\/2026\/06\/01\/halo-dunia\/">http:\/\/blog\.test\/2026\/06\/01\/halo-dunia\/<\/a><\/p>/);
    // Published: the primary button updates it, and no button turns it into a draft by accident.
    expect(buttons(html)).toEqual({ publish: 'Update', preview: 'Preview' });
    expect(switchToDraft(html)).toBe(true);
  });

  it('saves a draft with Save draft: off the site, with its private preview link', async () => {
    const { agent, csrf } = await writer();
    const res = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, intent: 'draft', title: 'Belum siap', markdown: 'Nanti.' });
    expect(res.headers.location).toMatch(/\/edit\/\?done=saved$/);
    const id = idFrom(res.headers.location);
    expect(statusOf(id)).toBe('draft');
    expect((await request(t.app).get('/')).text).not.toContain('Belum siap');
    const key = t.db.prepare('SELECT preview_key FROM posts WHERE id = ?').pluck().get(id) as string;
    const html = (await agent.get(res.headers.location)).text;
    expect(notice(html)).toBe(`Draft saved. <a href="/p/${key}/">Preview</a>`);
    expect(html).toContain(`<p class="publish-address">Private preview link (readers without it get a 404): <a href="/p/${key}/">`);
    expect(buttons(html)).toEqual({ publish: 'Publish', draft: 'Save draft', preview: 'Preview' });
    expect((await request(t.app).get(`/p/${key}/`)).text).toContain('Nanti.');
  });

  it('schedules with Publish and a future date, as WordPress does; the button then says Schedule', async () => {
    const { agent, csrf } = await writer();
    const res = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, intent: 'publish', title: 'Besok', markdown: 'Pagi.', publish_at: '2026-06-02T08:00' });
    expect(res.headers.location).toMatch(/\/edit\/\?done=scheduled$/);
    const id = idFrom(res.headers.location);
    expect(statusOf(id)).toBe('scheduled');
    expect((await request(t.app).get('/')).text).not.toContain('Besok');
    const html = (await agent.get(res.headers.location)).text;
    expect(notice(html)).toMatch(/^Post scheduled for June 2, 2026(,| at) 8:00\sAM\. <a href="\/p\/[0-9a-f]{32}\/">Preview<\/a>$/);
    expect(statusLine(html)).toMatch(/^Scheduled for June 2, 2026/);
    // Already scheduled: Update (WordPress's label), switchable to draft, no Save draft.
    expect(buttons(html)).toEqual({ publish: 'Update', preview: 'Preview' });
    expect(switchToDraft(html)).toBe(true);

    // A draft holding a future date offers Schedule; a refused save re-shows the label for the date typed.
    const draft = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, intent: 'draft', title: 'Lusa', publish_at: '2026-06-03T08:00' });
    expect(buttons((await agent.get(draft.headers.location)).text).publish).toBe('Schedule');
    const refused = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, intent: 'publish', title: '', publish_at: '2026-06-03T08:00' });
    expect(refused.status).toBe(422);
    expect(buttons(refused.text).publish).toBe('Schedule');
    // A scheduled post given a past date publishes: the button says Publish.
    const past = await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ _csrf: csrf, intent: 'publish', title: '', publish_at: '2026-05-01T08:00' });
    expect(buttons(past.text).publish).toBe('Publish');
  });
});

describe('a published post', () => {
  it('stays published when saved with Update; a Save draft sent anyway is refused with a way out', async () => {
    const { agent, csrf } = await writer();
    const id = Number(addPost(t, { slug: 'hidup', title: 'Hidup', publishedAt: '2026-05-01T09:00:00Z' }));
    const updated = await agent.post(`/admin/posts/${id}/edit/`).type('form')
      .send({ _csrf: csrf, intent: 'publish', title: 'Hidup lagi', slug: 'hidup', markdown: 'Baru.', publish_at: '2026-05-01T09:00' });
    expect(updated.headers.location).toMatch(/\/edit\/\?done=updated$/);
    expect(notice((await agent.get(updated.headers.location)).text)).toBe('Post updated. <a href="/2026/05/01/hidup/">View post</a>');
    expect((await request(t.app).get('/2026/05/01/hidup/')).text).toContain('Baru.');

    for (const sent of [{ intent: 'draft' }, { status: 'draft' }]) {
      const res = await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ _csrf: csrf, title: 'Hidup', markdown: 'x', ...sent });
      expect(res.status).toBe(422);
      expect(res.text).toContain('This is on the site: to take it off, use Switch to draft.');
      expect(statusOf(id)).toBe('published');
    }
  });

  it('goes back to draft with Switch to draft, keeping its text; so does a scheduled one', async () => {
    const { agent, csrf } = await writer();
    const id = Number(addPost(t, { slug: 'tarik', title: 'Tarik', markdown: 'Isi lama.', publishedAt: '2026-05-01T09:00:00Z' }));
    const res = await agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/posts/${id}/edit/?done=unpublished`);
    expect(statusOf(id)).toBe('draft');
    expect((await request(t.app).get('/2026/05/01/tarik/')).status).toBe(404);
    const html = (await agent.get(res.headers.location)).text;
    expect(notice(html)).toMatch(/^Post switched to draft: readers no longer see it\. <a href="\/p\/[0-9a-f]{32}\/">Preview<\/a>$/);
    expect(html).toContain('Isi lama.');
    expect(buttons(html)).toEqual({ publish: 'Publish', draft: 'Save draft', preview: 'Preview' });
    // Already a draft: nothing to switch.
    expect((await agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({ _csrf: csrf })).status).toBe(409);

    const later = Number(addPost(t, { slug: 'nanti', status: 'scheduled', publishedAt: '2026-07-01T09:00:00Z' }));
    await agent.post(`/admin/posts/${later}/unpublish/`).type('form').send({ _csrf: csrf });
    expect(statusOf(later)).toBe('draft');
  });

  it('is not switched to draft without the form token, nor by an author whose post it is not', async () => {
    const { agent } = await writer();
    const id = Number(addPost(t, { slug: 'milik-admin', publishedAt: '2026-05-01T09:00:00Z' }));
    expect((await agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({})).status).toBe(403);
    expect((await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ intent: 'publish', title: 'x' })).status).toBe(403);
    const author = createAccount(t, 'author', 'budi@example.org', 'Budi');
    const other = await logIn(t, author.email!);
    expect((await other.agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({ _csrf: other.csrf })).status).toBe(403);
    expect(statusOf(id)).toBe('published');
  });
});

describe('in Indonesian', () => {
  it('names the buttons, the status and what a save did', async () => {
    const { agent, csrf } = await writer();
    t.services.settings.update({ language: 'id' });
    const fresh = (await agent.get('/admin/posts/new/')).text;
    expect(buttons(fresh)).toEqual({ publish: 'Terbitkan', draft: 'Simpan draf', preview: 'Pratinjau' });
    const res = await agent.post('/admin/pages/new/').type('form').send({ _csrf: csrf, intent: 'publish', title: 'Tentang', markdown: 'Kami.' });
    const html = (await agent.get(res.headers.location)).text;
    expect(notice(html)).toBe('Laman diterbitkan. <a href="/tentang/">Lihat laman</a>');
    expect(buttons(html).publish).toBe('Perbarui');
    expect(html).toContain('>Kembalikan ke draf</button>');
    expect(html).toMatch(/Status: <strong>Diterbitkan pada 1 Juni 2026/);
  });
});
