import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModerationNotices } from '../../src/mail/notices.js';
import type { Mailer, OutgoingMail } from '../../src/mail/types.js';
import { createCommentsRepository } from '../../src/repositories/comments.js';
import { createUsersRepository } from '../../src/repositories/users.js';
import { createAccount } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let sent: OutgoingMail[];
let enabled: boolean;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  sent = [];
  enabled = true;
});
afterEach(() => t.close());

/** A Mailer that keeps what it is asked to queue (the outbox's own tests cover the sending). */
const mailer: Mailer = {
  get enabled() {
    return enabled;
  },
  queue: (mail) => (enabled ? (sent.push(mail), true) : false),
  suppress() {},
};

/** A post by an author-role account, with one administrator on the blog; the notices listening to comments on it. */
function setUp() {
  const admin = createAccount(t, 'administrator', 'boss@example.org', 'The Boss');
  const author = createAccount(t, 'author', 'writer@example.org', 'Wulan Writer');
  const postId = addPost(t, { slug: 'kopi-pagi', title: 'Kopi <pagi> & teh', authorId: author.id });
  const notices = createModerationNotices({
    mailer,
    settings: t.services.settings,
    users: createUsersRepository(t.db),
    comments: createCommentsRepository(t.db),
  });
  const comment = (fields: Partial<Parameters<TestApp['services']['comments']['submit']>[0]> = {}, on = postId) => {
    const formToken = t.services.comments.formToken(on);
    clock.advance(30);
    const result = t.services.comments.submit({
      postId: String(on), parentId: '0', name: 'Guest <b>Gita</b>', email: 'gita@example.net', url: 'https://gita.example.net',
      text: 'First line & more.\n\nSecond <script>x</script> paragraph.', honeypot: '', formToken, ip: '203.0.113.9', userAgent: 'test', ...fields,
    });
    if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
    notices.commentAdded!(result.comment, result.post);
    return result.comment;
  };
  return { admin, author, postId, comment };
}

const to = (address: string) => sent.find((mail) => mail.to === address)!;

describe('moderation notices', () => {
  it("a held guest comment: a moderation notice to the post's author and the administrator, the commenter's email and IP only in the administrator's", () => {
    const { comment } = setUp();
    const held = comment();
    expect(held.status).toBe('pending');
    expect(sent.map((mail) => [mail.kind, mail.to]).sort()).toEqual([['moderation-notice', 'boss@example.org'], ['moderation-notice', 'writer@example.org']]);

    const boss = to('boss@example.org');
    expect(boss.subject).toBe('[IMers Blog] Please moderate: "Kopi <pagi> & teh"');
    expect(boss.text).toContain('Author: Guest <b>Gita</b>');
    expect(boss.text).toContain('Email: gita@example.net');
    expect(boss.text).toContain('IP address: 203.0.113.9');
    expect(boss.text).toContain('Website: https://gita.example.net');
    expect(boss.text).toContain('First line & more.\n\nSecond');
    expect(boss.text).toMatch(/The post: http:\/\/blog\.test\/2026\/06\/01\/kopi-pagi\//);
    const row = `http://blog.test/admin/comments/?status=pending&post=${held.postId}#comment-${held.id}`;
    for (const action of ['Approve it', 'Spam it', 'Trash it']) expect(boss.text).toContain(`${action}: ${row}`);
    expect(boss.text).toContain('Currently 1 comment is waiting for approval.');
    // Every dynamic part is escaped in the HTML; the comment is its stored, sanitized HTML.
    expect(boss.html).toContain('Guest &lt;b&gt;Gita&lt;/b&gt;');
    expect(boss.html).toContain('Kopi &lt;pagi&gt; &amp; teh');
    expect(boss.html).not.toContain('<script>');
    expect(boss.html).toContain(`<a href="${row.replace(/&/g, '&amp;')}">Approve it</a>`);

    const writer = to('writer@example.org');
    expect(writer.text).toContain('Author: Guest <b>Gita</b>');
    expect(writer.text + writer.html).not.toContain('gita@example.net');
    expect(writer.text + writer.html).not.toContain('203.0.113.9');
  });

  it('an approved comment: a comment notice (spam and trash links, no approve); none to the account that wrote it', () => {
    const { author, comment } = setUp();
    const own = comment({ author: { id: author.id, displayName: author.displayName, email: author.email! }, name: '', email: '' });
    expect(own.status).toBe('approved');
    expect(sent.map((mail) => [mail.kind, mail.to])).toEqual([['comment-notice', 'boss@example.org']]);
    expect(sent[0].subject).toBe('[IMers Blog] Comment: "Kopi <pagi> & teh"');
    expect(sent[0].text).toContain('Spam it: ');
    expect(sent[0].text).not.toContain('Approve it');
    expect(sent[0].text).toContain('No comment is waiting for approval.');
  });

  it('each setting off sends no notice of its kind; mail off sends none', () => {
    const { author, comment } = setUp();
    t.services.settings.update({ moderationNotify: false });
    comment();
    expect(sent).toEqual([]);
    t.services.settings.update({ moderationNotify: true, commentsNotify: false });
    comment({ author: { id: author.id, displayName: author.displayName, email: author.email! }, name: '', email: '', text: 'Mine' });
    expect(sent).toEqual([]);
    t.services.settings.update({ commentsNotify: true });
    enabled = false;
    comment({ text: 'Another one' });
    expect(sent).toEqual([]);
  });

  it("each address once (an administrator's own post), users without an email skipped", () => {
    const { admin, comment } = setUp();
    createAccount(t, 'administrator', 'second@example.org', 'Second Boss');
    comment({}, addPost(t, { slug: 'bos-menulis', authorId: admin.id }));
    expect(sent.map((mail) => mail.to).sort()).toEqual(['boss@example.org', 'second@example.org']);
    sent = [];
    // The seeded article's author has no email: the administrators alone hear of it.
    comment({}, 1);
    expect(sent.map((mail) => mail.to).sort()).toEqual(['boss@example.org', 'second@example.org']);
  });

  it('in Indonesian when the site is', () => {
    const { comment } = setUp();
    t.services.settings.update({ language: 'id' });
    comment();
    expect(to('boss@example.org').subject).toBe('[IMers Blog] Mohon moderasi: "Kopi <pagi> & teh"');
    expect(to('boss@example.org').text).toContain('Setujui: http://blog.test/admin/comments/');
    expect(to('boss@example.org').text).toContain('Alamat IP: 203.0.113.9');
    expect(to('boss@example.org').html).toContain('<html lang="id">');
  });
});
