import { describe, expect, it } from 'vitest';
import { adminAgent, RAW_KEY } from '../support/admin.js';
import { freshAppEachTest, guestComment, t } from '../support/admin-comments.js';

freshAppEachTest();


/** The comments screens and the dashboard, with a held comment, an approved one and one in the spam. */
async function screens() {
  const held = guestComment({ text: 'Masih ditahan' });
  const approved = guestComment();
  t.services.moderation.apply('approve', approved);
  const spam = guestComment();
  t.services.moderation.apply('spam', spam);
  const { agent, csrf } = await adminAgent(t);
  const pages = {
    dashboard: await agent.get('/admin/').expect(200),
    list: await agent.get('/admin/comments/?did=approve&n=2').expect(200),
    spam: await agent.get('/admin/comments/?status=spam').expect(200),
    reply: await agent.get(`/admin/comments/${held}/reply/`).expect(200),
    edit: await agent.get(`/admin/comments/${approved}/edit/`).expect(200),
    delete: await agent.get(`/admin/comments/${spam}/delete/`).expect(200),
    emptyReply: await agent.post(`/admin/comments/${held}/reply/`).type('form').send({ _csrf: csrf, text: ' ' }).expect(422),
    badEdit: await agent.post(`/admin/comments/${approved}/edit/`).type('form').send({ _csrf: csrf, name: '', email: 'x', text: 'Teks' }).expect(422),
    noBulkAction: await agent.get('/admin/comments/?did=none').expect(200),
  };
  return Object.fromEntries(Object.entries(pages).map(([name, res]) => [name, res.text])) as Record<keyof typeof pages, string>;
}

describe('the comments screens and the dashboard in Bahasa Indonesia', () => {
  it('say every screen, notice and refusal in Indonesian, with no catalogue key left showing', async () => {
    t.services.settings.update({ language: 'id' });
    const pages = await screens();
    for (const [name, html] of Object.entries(pages)) expect(html.match(RAW_KEY), name).toBeNull();

    expect(pages.dashboard).toContain('<h1>Dasbor</h1>');
    expect(pages.dashboard).toContain('1 komentar menunggu moderasi');
    expect(pages.dashboard).toContain('1 komentar disetujui');
    expect(pages.dashboard).toMatch(/<strong>Guest 1<\/strong> pada <a href="\/admin\/posts\/\d+\/edit\/">/);
    expect(pages.dashboard).toContain('Tulis pos');

    expect(pages.list).toContain('<h1>Komentar</h1>');
    expect(pages.list).toContain('2 komentar disetujui.');
    expect(pages.list).toContain('Tertunda <span class="count">(1)</span>');
    expect(pages.list).toContain('<option value="">Tindakan Massal</option>');
    expect(pages.list).toContain('>Setujui</button>');
    expect(pages.list).toContain('>Tolak</button>');
    expect(pages.list).toContain('>Sunting</a>');
    expect(pages.list).toContain('2 item');
    expect(pages.spam).toContain('>Bukan spam</button>');
    expect(pages.spam).toContain('>Hapus Permanen</option>');

    expect(pages.reply).toContain('<h1>Balas ke Guest 1</h1>');
    expect(pages.reply).toContain('Setujui dan Balas');
    expect(pages.edit).toContain('<h1>Sunting komentar</h1>');
    expect(pages.edit).toContain('Perbarui komentar');
    expect(pages.delete).toContain('Hapus komentar ini secara permanen?');
    expect(pages.delete).toContain('Tindakan ini tidak dapat dibatalkan.');

    expect(pages.emptyReply).toContain('Silakan ketik balasan Anda.');
    expect(pages.badEdit).toContain('Komentar belum disimpan');
    expect(pages.badEdit).toContain('Silakan isi nama.');
    expect(pages.badEdit).toContain('Silakan isi alamat email yang valid, atau kosongkan.');
    expect(pages.noBulkAction).toContain('Pilih tindakan massal dan setidaknya satu komentar.');
    expect(Object.values(pages).join('')).not.toMatch(/Please |Approve and reply|Awaiting moderation|Bulk actions/);
  });

  it('still speak English by default', async () => {
    const pages = await screens();
    for (const [name, html] of Object.entries(pages)) expect(html.match(RAW_KEY), name).toBeNull();
    expect(pages.dashboard).toContain('1 comment awaiting moderation');
    expect(pages.dashboard).toContain('<strong>Guest 1</strong> on <a');
    expect(pages.list).toContain('2 comments approved.');
    expect(pages.list).toContain('<option value="">Bulk actions</option>');
    expect(pages.reply).toContain('Approve and reply');
    expect(pages.delete).toContain('Delete this comment permanently?');
    expect(pages.emptyReply).toContain('Please type your reply.');
    expect(pages.badEdit).toContain('Please enter a name.');
    expect(pages.noBulkAction).toContain('Choose a bulk action and at least one comment.');
  });
});
