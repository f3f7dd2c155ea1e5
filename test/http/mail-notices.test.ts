import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, logIn } from '../support/admin.js';
import { DISCUSSION } from '../support/admin-settings.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const POST_PATH = '/2026/06/01/kopi-pagi/';

/**
 * A blog that sends through a real SMTP server on 127.0.0.1: an administrator (logged in), an author-role account
 * who wrote "Kopi <pagi> & teh", and a guest about to comment on it.
 */
async function blog() {
  const server: TestSmtpServer = await startSmtpServer();
  cleanups.push(() => server.close());
  const clock = manualClock();
  const t: TestApp = makeTestApp({ env: { SMTP_URL: server.url }, now: clock.now, mailBackoffMs: [30, 30] });
  cleanups.push(() => t.close());
  const admin = await adminAgent(t, 'administrator', 'boss@example.org');
  const author = createAccount(t, 'author', 'writer@example.org', 'Wulan Writer');
  addPost(t, { slug: 'kopi-pagi', title: 'Kopi <pagi> & teh', authorId: author.id });
  const guest = (fields: Parameters<typeof submitComment>[2] = {}) =>
    submitComment(t, clock, { author: 'Gita <Guest>', email: 'gita@example.net', url: 'https://gita.example.net', comment: 'Enak sekali & <b>hangat</b>.\n\nTerima kasih!', ...fields }, { path: POST_PATH, wait: 30 });
  const outboxCount = () => t.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  return { server, t, admin, author, guest, outboxCount };
}

const byRecipient = (mails: { to: string[]; parsed: ParsedMail }[]) => Object.fromEntries(mails.map((mail) => [mail.to.join(), mail.parsed]));
const status = (t: TestApp) => t.db.prepare('SELECT status FROM comments ORDER BY id DESC LIMIT 1').pluck().get();

describe("email to the blog's people", () => {
  it("a held guest comment: a moderation notice to the post's author and the administrator, whose admin links change nothing until the admin's POST", async () => {
    const { server, t, admin, guest } = await blog();
    expect((await guest()).status).toBe(303);
    expect(status(t)).toBe('pending');
    const mails = byRecipient(await server.waitFor(2));
    expect(Object.keys(mails).sort()).toEqual(['boss@example.org', 'writer@example.org']);

    const boss = mails['boss@example.org'];
    expect(boss.subject).toBe('[IMers Blog] Please moderate: "Kopi <pagi> & teh"');
    expect(boss.text).toContain('A new comment on the post "Kopi <pagi> & teh" is waiting for your approval');
    expect(boss.text).toContain(`The post: http://blog.test${POST_PATH}`);
    expect(boss.text).toContain('Author: Gita <Guest>');
    expect(boss.text).toContain('Email: gita@example.net');
    expect(boss.text).toMatch(/IP address: \S+/);
    expect(boss.text).toContain('Website: https://gita.example.net');
    expect(boss.text).toContain('Enak sekali & hangat.\n\nTerima kasih!');
    expect(boss.text).toContain('Currently 1 comment is waiting for approval.');
    expect(boss.html).toContain('Gita &lt;Guest&gt;');
    expect(boss.html).toContain('Kopi &lt;pagi&gt; &amp; teh');
    expect(boss.html).toContain('<b>hangat</b>');

    // The author-role recipient: the same comment, without the commenter's email or IP address.
    const writer = mails['writer@example.org'];
    expect(writer.subject).toBe(boss.subject);
    expect(writer.text).toContain('Author: Gita <Guest>');
    expect(`${writer.text}${writer.html}`).not.toContain('gita@example.net');
    expect(writer.text).not.toContain('IP address');

    const links = ['Approve it', 'Spam it', 'Trash it'].map((action) => new RegExp(`${action}: (\\S+)`).exec(boss.text!)![1]);
    const id = t.db.prepare('SELECT id FROM comments ORDER BY id DESC LIMIT 1').pluck().get() as number;
    for (const link of links) {
      expect(link.startsWith('http://blog.test/admin/comments/?')).toBe(true);
      expect(boss.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
      // A mail scanner (or the admin) opening the link sees the comment with its buttons; nothing happens yet.
      const page = await admin.agent.get(link.slice('http://blog.test'.length).replace(/#.*/, '')).expect(200);
      expect(page.text).toContain(`id="comment-${id}"`);
      for (const action of ['approve', 'spam', 'trash']) expect(page.text).toContain(`formaction="/admin/comments/${id}/${action}/`);
      expect(status(t)).toBe('pending');
    }
    // The action is the admin's POST, with the form's token.
    await admin.agent.post(`/admin/comments/${id}/approve/`).type('form').send({ _csrf: admin.csrf }).expect(303);
    expect(status(t)).toBe('approved');

    // The author opens their link too: their own post's comment, in their admin.
    const writerAgent = await logIn(t, 'writer@example.org');
    const writerLink = /Trash it: (\S+)/.exec(writer.text!)![1];
    await writerAgent.agent.get(writerLink.slice('http://blog.test'.length).replace(/#.*/, '')).expect(200);
  });

  it('an approved comment: a comment notice', async () => {
    const { server, t, guest } = await blog();
    t.services.settings.update({ requirePreviouslyApproved: false });
    expect((await guest()).status).toBe(303);
    expect(status(t)).toBe('approved');
    const mails = byRecipient(await server.waitFor(2));
    expect(Object.keys(mails).sort()).toEqual(['boss@example.org', 'writer@example.org']);
    expect(mails['boss@example.org'].subject).toBe('[IMers Blog] Comment: "Kopi <pagi> & teh"');
    expect(mails['boss@example.org'].text).toContain('New comment on the post "Kopi <pagi> & teh"');
    expect(mails['boss@example.org'].text).toContain('Spam it: http://blog.test/admin/comments/?status=approved');
    expect(mails['writer@example.org'].text).not.toContain('gita@example.net');
  });

  it("a reply written in the admin: a comment notice to the post's author, none to the administrator who wrote it", async () => {
    const { server, t, admin, guest } = await blog();
    t.services.settings.update({ requirePreviouslyApproved: false });
    expect((await guest()).status).toBe(303);
    await server.waitFor(2);
    const id = t.db.prepare('SELECT id FROM comments ORDER BY id DESC LIMIT 1').pluck().get() as number;
    await admin.agent.post(`/admin/comments/${id}/reply/`).type('form').send({ _csrf: admin.csrf, text: 'Terima kasih, Gita!' }).expect(303);
    const mails = await server.waitFor(3);
    expect(mails[2].to).toEqual(['writer@example.org']);
    expect(mails[2].parsed.text).toContain('Terima kasih, Gita!');
    // Nothing more on its way: the administrator hears nothing of their own reply.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.received).toHaveLength(3);
  });

  it('Settings → Discussion: both boxes ticked at first; each unticked, no notice of its kind', async () => {
    const { server, t, admin, guest, outboxCount } = await blog();
    const page = await admin.agent.get('/admin/settings/discussion/').expect(200);
    expect(page.text).toContain('Email me whenever');
    expect(page.text).toMatch(/id="commentsNotify" name="commentsNotify" value="1" checked>\s*<label for="commentsNotify">Anyone posts a comment<\/label>/);
    expect(page.text).toMatch(/id="moderationNotify" name="moderationNotify" value="1" checked>\s*<label for="moderationNotify">A comment is held for moderation<\/label>/);

    // Held comments unannounced; approved ones still told.
    const save = (form: Record<string, string>) => admin.agent.post('/admin/settings/discussion/').type('form').send({ _csrf: admin.csrf, ...DISCUSSION, ...form }).expect(303);
    await save({ commentsNotify: '1' });
    expect(t.services.settings.get()).toMatchObject({ commentsNotify: true, moderationNotify: false });
    expect((await admin.agent.get('/admin/settings/discussion/')).text).toContain('id="moderationNotify" name="moderationNotify" value="1">');
    expect((await guest()).status).toBe(303);
    expect(status(t)).toBe('pending');
    expect(outboxCount()).toBe(0);

    // Approved comments unannounced; held ones told again.
    await save({ moderationNotify: '1' });
    t.services.settings.update({ requirePreviouslyApproved: false });
    expect((await guest({ comment: 'Sekali lagi.' })).status).toBe(303);
    expect(status(t)).toBe('approved');
    expect(outboxCount()).toBe(0);
    t.services.settings.update({ requirePreviouslyApproved: true });
    expect((await guest({ author: 'Someone New', email: 'new@example.net', comment: 'Pertama kali.' })).status).toBe(303);
    expect(status(t)).toBe('pending');
    const [first] = await server.waitFor(1);
    expect(first.parsed.subject).toContain('Please moderate');
  });

  it('in Indonesian when the site is', async () => {
    const { server, t, guest } = await blog();
    t.services.settings.update({ language: 'id' });
    expect((await guest()).status).toBe(303);
    const mails = byRecipient(await server.waitFor(2));
    const boss = mails['boss@example.org'];
    expect(boss.subject).toBe('[IMers Blog] Mohon moderasi: "Kopi <pagi> & teh"');
    expect(boss.text).toContain('Komentar baru pada pos "Kopi <pagi> & teh" menunggu persetujuan Anda');
    expect(boss.text).toMatch(/Setujui: http:\/\/blog\.test\/admin\/comments\//);
    expect(boss.text).toContain('Saat ini 1 komentar menunggu persetujuan.');
    expect(boss.html).toContain('<html lang="id">');
  });
});
