import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor, RAW_KEY } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());


/** An administrator with a post, a page, and a trashed post with one comment: every posts screen has something to show. */
async function withContent(language?: 'id') {
  t = makeTestApp();
  if (language) t.services.settings.update({ language });
  const { agent, csrf } = await adminAgent(t);
  const write = async (base: string, title: string) => {
    const res = await agent.post(`/admin/${base}/new/`).type('form').send(editor({ _csrf: csrf, title, markdown: 'Isi.' }));
    return Number(/\/(\d+)\/edit\//.exec(res.headers.location)![1]);
  };
  const post = await write('posts', 'Catatan harian');
  const page = await write('pages', 'Tentang kami');
  const trashed = await write('posts', 'Sudah usang');
  t.db.prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (?, 'approved', 'Ayu', '<p>Bagus</p>')").run(trashed);
  await agent.post(`/admin/posts/${trashed}/trash/`).type('form').send({ _csrf: csrf });
  return { agent, csrf, post, page, trashed };
}

describe('the posts and pages screens in the site language', () => {
  it('speak Indonesian on every screen, never showing a catalogue key', async () => {
    const { agent, post, page, trashed } = await withContent('id');
    const screens: [string, string[]][] = [
      ['/admin/posts/', ['<h1>Pos ', 'Tambah Baru', 'Semua', 'Tong Sampah', 'Cari Pos', 'Tindakan Massal', 'Pindahkan ke Tong Sampah', 'Terapkan', '<th>Judul</th>', '<th>Penulis</th>', 'Sunting', 'Pratinjau', 'Terakhir diubah', '<span class="status">draf</span>', 'Pilih “Catatan harian”']],
      ['/admin/posts/?status=trash', ['Pulihkan', 'Hapus Permanen', '1 item']],
      ['/admin/posts/?s=tidak-ada', ['Tidak ada pos yang ditemukan.', '0 item']],
      ['/admin/posts/?done=trashed', ['Dipindahkan ke Tong Sampah.']],
      ['/admin/pages/', ['<h1>Laman ', 'Cari Laman']],
      ['/admin/posts/new/', ['<h1>Tambah Pos</h1>', 'Judul', 'Teks (Markdown)', 'Ringkasan', 'Terbitkan', 'Status: <strong>Draf</strong>', '>Simpan draf</button>', 'Kategori baru', 'Pisahkan tag dengan koma.', 'Diskusi', 'Izinkan komentar', 'teks di atas <code>&lt;!--more--&gt;</code> atau 55 kata pertama']],
      ['/admin/pages/new/', ['<h1>Tambah Laman</h1>']],
      [`/admin/posts/${post}/edit/?done=saved`, ['<h1>Sunting Pos <a', 'Draf tersimpan. <a href="/p/', 'Tautan pratinjau pribadi']],
      [`/admin/pages/${page}/edit/`, ['<h1>Sunting Laman <a']],
      [`/admin/posts/${trashed}/delete/`, ['<h1>Hapus Pos</h1>', 'Hapus “Sudah usang” secara permanen, beserta 1 komentarnya?', 'Batal']],
    ];
    for (const [path, words] of screens) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.text).toContain('<html lang="id">');
      for (const word of words) expect([path, res.text.includes(word)]).toEqual([path, true]);
      expect([path, RAW_KEY.exec(res.text)?.[0]]).toEqual([path, undefined]);
    }
  });

  it('names the problems of a refused form in Indonesian', async () => {
    const { agent, csrf } = await withContent('id');
    const res = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, slug: '!!!', status: 'scheduled', publish_at: '2020-01-01T09:00' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tidak ada yang disimpan: perbaiki masalah yang ditandai di bawah.');
    expect(res.text).toContain('<span class="error" id="title-error">Masukkan judul.</span>');
    expect(res.text).toContain('<span class="error" id="slug-error">Gunakan huruf atau angka pada slug.</span>');
    expect(res.text).toContain('Untuk menjadwalkan pos, pilih tanggal dan waktu di masa depan.');
    expect(res.text).not.toMatch(RAW_KEY);
    const badStatus = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'x', status: 'deleted' }));
    expect(badStatus.text).toContain('Pilih Simpan draf atau Terbitkan.');
  });

  it('still speaks English by default', async () => {
    const { agent, csrf, post, trashed } = await withContent();
    const list = await agent.get('/admin/posts/');
    expect(list.text).toContain('<h1>Posts <a class="button page-title-action" href="/admin/posts/new/">Add new</a></h1>');
    expect(list.text).toContain('<option value="trash">Move to Trash</option>');
    expect(list.text).toContain('<span class="status">draft</span>');
    expect((await agent.get('/admin/posts/?status=trash')).text).toContain('<p class="muted">1 item</p>');
    expect((await agent.get(`/admin/posts/${post}/edit/?done=saved`)).text).toContain('<h1>Edit post <a');
    expect((await agent.get(`/admin/posts/${trashed}/delete/`)).text)
      .toContain('<p>Delete “Sudah usang” permanently, with its 1 comment? This cannot be undone.</p>');
    const refused = await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<h1>Add page</h1>');
    expect(refused.text).toContain('<span class="error" id="title-error">Enter a title.</span>');
    for (const res of [list, refused]) expect(res.text).not.toMatch(RAW_KEY);
  });

  it('shows no notice for a done= that is not one of its own', async () => {
    const { agent } = await withContent();
    const res = await agent.get('/admin/posts/?done=constructor');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('class="notice" role="status"');
  });
});
