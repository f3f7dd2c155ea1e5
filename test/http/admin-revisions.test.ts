import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor, RAW_KEY } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

type Agent = Awaited<ReturnType<typeof adminAgent>>;

/** Saves the editor form of a post (a new one without `id`) and answers with the post's id. */
async function save({ agent, csrf }: Agent, fields: Record<string, string>, id?: number) {
  const res = await agent.post(id ? `/admin/posts/${id}/edit/` : '/admin/posts/new/').type('form').send(editor({ _csrf: csrf, ...fields }));
  expect(res.status).toBe(303);
  return Number(/\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]);
}

const rows = (html: string) => html.split('<tbody>')[1]?.split('</tbody>')[0].match(/<tr>/g)?.length ?? 0;
const publicPath = (html: string) => /href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+\/)"/.exec(html)![1];

function setup() {
  const clock = manualClock();
  t = makeTestApp({ now: clock.now });
  return clock;
}

describe('revisions of a post', () => {
  it('keeps each save with its author and time, linked from the editor as "Revisions (N)"', async () => {
    const clock = setup();
    const ayu = await adminAgent(t, 'administrator', 'ayu@example.org');
    const id = await save(ayu, { title: 'Resep sambal', markdown: 'Cabai\nBawang' });
    clock.advance(3600);
    await save(ayu, { title: 'Resep sambal', markdown: 'Cabai\nBawang\nTomat' }, id);

    const edit = await ayu.agent.get(`/admin/posts/${id}/edit/`);
    expect(edit.text).toContain(`<a href="/admin/posts/${id}/revisions/">Revisions (2)</a>`);
    const list = await ayu.agent.get(`/admin/posts/${id}/revisions/`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Revisions: Resep sambal');
    expect(rows(list.text)).toBe(2);
    // Times in the site's zone (UTC here), newest first, each by the account that saved it.
    expect(list.text.indexOf('June 1, 2026 at 11:00')).toBeLessThan(list.text.indexOf('June 1, 2026 at 10:00'));
    expect(list.text.match(/<td>The administrator<\/td>/g)).toHaveLength(2);
    // The newest is the text the post holds: nothing to restore there; the older one can be restored.
    expect(list.text).toContain('(the current text)');
    expect(list.text.match(/>Restore</g)).toHaveLength(1);
    expect(list.text).not.toMatch(RAW_KEY);
    // A post never saved here (the first-run article) has no revisions to link to.
    const seeded = t.db.prepare("SELECT id FROM posts WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").pluck().get();
    expect((await ayu.agent.get(`/admin/posts/${seeded}/edit/`)).text).not.toContain('Revisions (');
  });

  it('compares two versions line by line, escaping what was typed', async () => {
    const clock = setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Catatan', markdown: 'Baris satu\nBaris <b>dua</b>\nBaris tiga', excerpt: 'Ringkas' });
    clock.advance(60);
    await save(ayu, { title: 'Catatan', markdown: 'Baris satu\nBaris 2 <script>x()</script>\nBaris tiga', excerpt: 'Ringkas' }, id);
    const older = /compare\/\?from=(\d+)&amp;to=current/.exec((await ayu.agent.get(`/admin/posts/${id}/revisions/`)).text)![1];

    const res = await ayu.agent.get(`/admin/posts/${id}/revisions/compare/?from=${older}&to=current`);
    expect(res.status).toBe(200);
    const text = res.text.split('<h2>Text</h2>')[1].split('</section>')[0];
    expect(text).toContain('<del><span class="visually-hidden">Removed: </span>Baris &lt;b&gt;dua&lt;/b&gt;</del>');
    expect(text).toContain('<ins><span class="visually-hidden">Added: </span>Baris 2 &lt;script&gt;x()&lt;/script&gt;</ins>');
    expect(text).toContain('<span>Baris satu</span>');
    expect(text).toContain('<span>Baris tiga</span>');
    expect(text.match(/<(ins|del)>/g)).toHaveLength(2);
    expect(res.text.split('<h2>Excerpt</h2>')[1]).toMatch(/^\s*<p class="muted">No change\.<\/p>/);
    expect(res.text).not.toContain('<script>x()');

    // Two revisions compare too; anything that is not a revision of this post is a clear 400 or 404.
    const ids = [...new Set([...res.text.matchAll(/<option value="(\d+)"/g)].map((m) => m[1]))]; // newest first
    expect((await ayu.agent.get(`/admin/posts/${id}/revisions/compare/?from=${ids[1]}&to=${ids[0]}`)).text).toContain('Baris 2 &lt;script&gt;');
    expect((await ayu.agent.get(`/admin/posts/${id}/revisions/compare/?from=abc&to=current`)).status).toBe(400);
    expect((await ayu.agent.get(`/admin/posts/${id}/revisions/compare/?from=999999&to=current`)).status).toBe(404);
  });

  it('restores a revision as a new save, itself a revision, so the restore can be undone', async () => {
    const clock = setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Jalan pagi', markdown: 'Versi pertama.', status: 'published' });
    clock.advance(60);
    await save(ayu, { title: 'Jalan sore', markdown: 'Versi kedua.', status: 'published' }, id);
    const list = (await ayu.agent.get(`/admin/posts/${id}/revisions/`)).text;
    const restore = /action="(\/admin\/posts\/\d+\/revisions\/\d+\/restore\/)"/.exec(list)![1];

    expect((await ayu.agent.post(restore).type('form').send({})).status).toBe(403);
    clock.advance(60);
    const res = await ayu.agent.post(restore).type('form').send({ _csrf: ayu.csrf });
    expect(res.status).toBe(303);
    const after = await ayu.agent.get(res.headers.location);
    expect(after.text).toContain('Revision restored.');
    expect(rows(after.text)).toBe(3);
    expect(after.text).toContain('(the current text)');

    const edit = await ayu.agent.get(`/admin/posts/${id}/edit/`);
    expect(edit.text).toContain('value="Jalan pagi"');
    expect(edit.text).toContain('>Versi pertama.</textarea>');
    const page = await request(t.app).get(publicPath(edit.text));
    expect(page.text).toContain('Versi pertama.');
    expect(page.text).not.toContain('Versi kedua.');
    // The text the restore replaced is one click away.
    expect(after.text).toContain('>Restore<');
    expect((await ayu.agent.post(`/admin/posts/${id}/revisions/999999/restore/`).type('form').send({ _csrf: ayu.csrf })).status).toBe(404);
  });

  it('adds no revision for a save that changes nothing (line endings included)', async () => {
    setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Sama saja', markdown: 'Satu\nDua' });
    await save(ayu, { title: 'Sama saja', markdown: 'Satu\r\nDua' }, id);
    await save(ayu, { title: 'Sama saja', markdown: 'Satu\nDua', tags: 'tag-baru' }, id);
    expect((await ayu.agent.get(`/admin/posts/${id}/edit/`)).text).toContain('Revisions (1)');
  });

  it('keeps the latest 25 revisions, dropping the oldest', async () => {
    const clock = setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Versi 1', markdown: 'Teks 1' });
    for (let n = 2; n <= 27; n++) {
      clock.advance(60);
      await save(ayu, { title: `Versi ${n}`, markdown: `Teks ${n}` }, id);
    }
    const list = await ayu.agent.get(`/admin/posts/${id}/revisions/`);
    expect(rows(list.text)).toBe(25);
    expect((await ayu.agent.get(`/admin/posts/${id}/edit/`)).text).toContain('Revisions (25)');
    // Versions 1 and 2 are gone: the oldest left is version 3, saved two minutes after the first.
    expect(list.text).toContain('June 1, 2026 at 10:02');
    expect(list.text).not.toContain('June 1, 2026 at 10:01');
    expect(list.text).not.toMatch(/June 1, 2026 at 10:00</);
  });

  it("refuses another author's post: its revisions, comparisons, restores and autosaves", async () => {
    setup();
    const rina = await adminAgent(t, 'author', 'rina@example.org');
    const budi = await adminAgent(t, 'author', 'budi@example.org');
    const id = await save(rina, { title: 'Milik Rina', markdown: 'Tulisan Rina.' });
    const rinaList = (await rina.agent.get(`/admin/posts/${id}/revisions/`)).text;
    const revision = /revisions\/(\d+)\/restore\//.exec(rinaList)?.[1] ?? /from=(\d+)/.exec(rinaList)?.[1] ?? '1';

    expect((await budi.agent.get(`/admin/posts/${id}/revisions/`)).status).toBe(403);
    expect((await budi.agent.get(`/admin/posts/${id}/revisions/compare/?from=${revision}&to=current`)).status).toBe(403);
    expect((await budi.agent.post(`/admin/posts/${id}/revisions/${revision}/restore/`).type('form').send({ _csrf: budi.csrf })).status).toBe(403);
    const autosave = await budi.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ _csrf: budi.csrf, title: 'Dibajak', markdown: 'x' });
    expect(autosave.status).toBe(403);
    // Pages are the administrator's.
    expect((await rina.agent.get(`/admin/pages/${id}/revisions/`)).status).toBe(403);
  });
});

describe('autosave', () => {
  it('keeps the autosave of a published post beside it: the live page is unchanged, the editor offers it', async () => {
    const clock = setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Kabar terbaru', markdown: 'Teks yang tayang.', status: 'published' });
    const path = publicPath((await ayu.agent.get(`/admin/posts/${id}/edit/`)).text);
    clock.advance(30);

    const res = await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form')
      .send({ _csrf: ayu.csrf, title: 'Kabar terbaru (revisi)', markdown: 'Teks yang sedang diketik.', excerpt: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saved: true, message: 'Draft autosaved at 10:00 AM.' });

    const page = await request(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Teks yang tayang.');
    expect(page.text).not.toContain('sedang diketik');
    expect((await ayu.agent.get('/admin/posts/?status=published')).text).toContain('Kabar terbaru');

    const edit = await ayu.agent.get(`/admin/posts/${id}/edit/`);
    expect(edit.text).toContain('There is an autosave of this post that is more recent than the version below.');
    expect(edit.text).toContain('>Teks yang tayang.</textarea>');
    const restoreHref = /<a href="([^"]+)">Restore the autosave<\/a>/.exec(edit.text)![1].replace(/&amp;/g, '&');
    // Restoring needs no script: the editor comes back with the autosave's text in the form.
    const restored = await ayu.agent.get(`/admin/posts/${id}/edit/${restoreHref}`);
    expect(restored.text).toContain('value="Kabar terbaru (revisi)"');
    expect(restored.text).toContain('>Teks yang sedang diketik.</textarea>');
    expect(restored.text).toContain('is in the form below; save to keep it.');
    expect(restored.text).not.toContain('There is an autosave');
    expect((await request(t.app).get(path)).text).toContain('Teks yang tayang.');

    // Saving spends the autosave: no notice afterwards, even once the author types the old text back.
    clock.advance(30);
    await save(ayu, { title: 'Kabar terbaru (revisi)', markdown: 'Teks yang sedang diketik.', status: 'published' }, id);
    clock.advance(30);
    const later = await ayu.agent.get(`/admin/posts/${id}/edit/`);
    expect(later.text).not.toContain('There is an autosave');
    expect(t.db.prepare("SELECT count(*) FROM post_revisions WHERE kind = 'autosave'").pluck().get()).toBe(0);
    // (The new title gave the post a new address; the old one redirects to it.)
    expect((await request(t.app).get(path).redirects(1)).text).toContain('Teks yang sedang diketik.');
  });

  it('replaces the one autosave per post and user, and offers it only while it is newer than the last save', async () => {
    const clock = setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Draf', markdown: 'Awal.' });
    for (const markdown of ['Ketik satu.', 'Ketik dua.']) {
      clock.advance(20);
      await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ _csrf: ayu.csrf, title: 'Draf', markdown });
    }
    expect(t.db.prepare("SELECT body_markdown FROM post_revisions WHERE kind = 'autosave'").pluck().all()).toEqual(['Ketik dua.']);
    expect((await ayu.agent.get(`/admin/posts/${id}/edit/?autosave=restore`)).text).toContain('>Ketik dua.</textarea>');
    // An autosave saying what the post says is nothing to offer.
    await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ _csrf: ayu.csrf, title: 'Draf', markdown: 'Awal.' });
    expect((await ayu.agent.get(`/admin/posts/${id}/edit/`)).text).not.toContain('There is an autosave');
  });

  it('turns a new post\'s first autosave into a draft, shown in the posts list and never published', async () => {
    setup();
    const ayu = await adminAgent(t);
    const res = await ayu.agent.post('/admin/posts/new/autosave/').type('form')
      .send({ _csrf: ayu.csrf, title: '', markdown: 'Ide yang belum berjudul.', excerpt: '' });
    expect(res.status).toBe(200);
    expect(res.body.saved).toBe(true);
    expect(res.body.editUrl).toMatch(/^\/admin\/posts\/\d+\/edit\/$/);

    const list = await ayu.agent.get('/admin/posts/?status=draft');
    expect(list.text).toContain('Untitled draft');
    const edit = await ayu.agent.get(res.body.editUrl);
    expect(edit.text).toContain('>Ide yang belum berjudul.</textarea>');
    expect((await request(t.app).get('/')).text).not.toContain('Ide yang belum berjudul');
    // Nothing typed: nothing made.
    expect((await ayu.agent.post('/admin/posts/new/autosave/').type('form').send({ _csrf: ayu.csrf, title: ' ', markdown: '' })).body).toEqual({ saved: false });
  });

  it('answers bad autosaves clearly: no token, too long a text', async () => {
    setup();
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Draf', markdown: 'Awal.' });
    expect((await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ title: 'x' })).status).toBe(403);
    const long = await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ _csrf: ayu.csrf, title: 'x'.repeat(301), markdown: '' });
    expect(long.status).toBe(422);
    expect(long.body.error).toMatch(/title/i);
    expect((await ayu.agent.post('/admin/posts/new/autosave/').type('form').send({ _csrf: ayu.csrf, title: 'x'.repeat(301) })).status).toBe(422);
  });

  it('speaks Indonesian when the site does', async () => {
    const clock = setup();
    t.services.settings.update({ language: 'id' });
    const ayu = await adminAgent(t);
    const id = await save(ayu, { title: 'Judul', markdown: 'Satu.' });
    clock.advance(60);
    await save(ayu, { title: 'Judul', markdown: 'Dua.' }, id);
    clock.advance(60);
    await ayu.agent.post(`/admin/posts/${id}/edit/autosave/`).type('form').send({ _csrf: ayu.csrf, title: 'Judul', markdown: 'Tiga.' });
    const edit = (await ayu.agent.get(`/admin/posts/${id}/edit/`)).text;
    expect(edit).toContain('Revisi (2)');
    expect(edit).toContain('Pulihkan simpanan otomatis');
    const list = (await ayu.agent.get(`/admin/posts/${id}/revisions/`)).text;
    expect(list).toContain('Bandingkan dengan teks saat ini');
    expect(list).not.toMatch(RAW_KEY);
  });
});
