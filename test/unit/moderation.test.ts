import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
});
afterEach(() => t.close());

const statusOf = (id: number) => t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(id);
const readerSees = async (text: string) => (await request(t.app).get(SEED_PATH)).text.includes(text);

describe('moderation service', () => {
  it('approves a held comment so readers see it, and unapproves it again', async () => {
    await submitComment(t, clock, { comment: 'held words' });
    expect(statusOf(1)).toBe('pending');
    expect(await readerSees('held words')).toBe(false);
    expect(t.services.moderation.apply('approve', 1)).toBe(true);
    expect(await readerSees('held words')).toBe(true);
    t.services.moderation.apply('unapprove', 1);
    expect(await readerSees('held words')).toBe(false);
  });

  it('moves comments between spam, trash and the queue, and counts them', async () => {
    await submitComment(t, clock, { comment: 'a' });
    clock.advance(30);
    await submitComment(t, clock, { comment: 'b', email: 'b@example.org' });
    t.services.moderation.apply('spam', 1);
    t.services.moderation.apply('trash', 2);
    expect(t.services.moderation.counts()).toEqual({ approved: 0, pending: 0, spam: 1, trash: 1 });
    t.services.moderation.apply('notSpam', 1);
    t.services.moderation.apply('restore', 2);
    expect([statusOf(1), statusOf(2)]).toEqual(['pending', 'pending']);
  });

  it('gives an approved comment back to readers when it returns from the trash or the spam', async () => {
    await submitComment(t, clock, { comment: 'once approved' });
    t.services.moderation.apply('approve', 1);
    t.services.moderation.apply('trash', 1);
    expect(await readerSees('once approved')).toBe(false);
    t.services.moderation.apply('restore', 1);
    expect(statusOf(1)).toBe('approved');
    expect(await readerSees('once approved')).toBe(true);
    t.services.moderation.apply('spam', 1);
    t.services.moderation.apply('trash', 1); // spam → trash keeps what it was before the spam
    t.services.moderation.apply('restore', 1);
    expect(statusOf(1)).toBe('approved');
    expect(t.services.moderation.apply('restore', 1)).toBe(false); // not in the trash: nothing to restore
  });

  it('deletes from the Trash permanently, moves anything else to the Trash first, and says false for a comment that does not exist', async () => {
    await submitComment(t, clock, {});
    expect(t.services.moderation.apply('delete', 1)).toBe(true);
    expect(statusOf(1)).toBe('trash');
    expect(t.services.moderation.apply('delete', 1)).toBe(true);
    expect(statusOf(1)).toBeUndefined();
    expect(t.services.moderation.apply('approve', 99)).toBe(false);
  });

  it('moves the replies of a deleted comment up to its parent, as WordPress does', () => {
    const insert = t.db.prepare("INSERT INTO comments (post_id, parent_id, status, author_name, body_html) VALUES (1, ?, 'approved', 'A', '<p>x</p>')");
    const top = Number(insert.run(null).lastInsertRowid);
    const middle = Number(insert.run(top).lastInsertRowid);
    const reply = Number(insert.run(middle).lastInsertRowid);
    t.services.moderation.apply('trash', middle);
    expect(t.services.moderation.apply('delete', middle)).toBe(true);
    expect(t.db.prepare('SELECT parent_id FROM comments WHERE id = ?').pluck().get(reply)).toBe(top);
  });

  it('counts only approved comments on the post and home pages', async () => {
    await submitComment(t, clock, {});
    expect((await request(t.app).get('/')).text).toContain('Leave a comment');
    t.services.moderation.apply('approve', 1);
    expect((await request(t.app).get('/')).text).toContain('1 comment');
  });

  it('counts and lists the newest comments, for everyone or for one author’s posts', async () => {
    const writer = createAccount(t, 'author', 'writer@example.org');
    const own = addPost(t, { slug: 'writers-post', authorId: writer.id });
    await submitComment(t, clock, { comment: 'on the seed' });
    clock.advance(30);
    await submitComment(t, clock, { comment: 'on the writer’s post', email: 'b@example.org' }, { path: t.services.posts.permalinkOf(own)! });
    t.services.moderation.apply('approve', 1);
    expect(t.services.moderation.counts()).toEqual({ approved: 1, pending: 1, spam: 0, trash: 0 });
    expect(t.services.moderation.counts(writer.id)).toEqual({ approved: 0, pending: 1, spam: 0, trash: 0 });
    expect(t.services.moderation.latest('all', 5).map((c) => c.id)).toEqual([2, 1]);
    expect(t.services.moderation.latest('pending', 5, writer.id)).toMatchObject([{ id: 2, post: { id: own, authorId: writer.id } }]);
    expect(t.services.moderation.latest('approved', 5, writer.id)).toEqual([]);
  });

  it('changes nothing in a bulk action when one comment is on someone else’s post', async () => {
    const writer = createAccount(t, 'author', 'writer@example.org');
    await submitComment(t, clock, { comment: 'a' });
    expect(t.services.moderation.applyMany(writer, 'approve', [1, 99])).toBeNull();
    expect(statusOf(1)).toBe('pending');
    const admin = createAccount(t, 'administrator');
    expect(t.services.moderation.applyMany(admin, 'approve', [1, 99])).toBe(1);
    expect(statusOf(1)).toBe('approved');
  });

  it('gives back the typed text for editing, which saves to the same HTML', async () => {
    await submitComment(t, clock, { comment: 'one\ntwo & <b>three</b>\n\nfour' });
    const comment = t.services.moderation.find(1)!;
    const text = t.services.moderation.editableText(comment);
    expect(text).toBe('one\ntwo &amp; <b>three</b>\n\nfour');
    const before = comment.bodyHtml;
    expect(t.services.moderation.edit(comment, { name: 'Ani', email: '', url: '', text })).toBeNull();
    expect(t.services.moderation.find(1)!.bodyHtml).toBe(before);
  });
});
