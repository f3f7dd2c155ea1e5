import { describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { freshAppEachTest, guestComment, readerPage, statusOf, t } from '../support/admin-comments.js';

freshAppEachTest();

const ACTOR = 'https://social.example/users/troll';

/** A reply that came from the Fediverse, stored as F5's inbox stores one: a 'fediverse' commenter (keyed by the actor URI) and the Note's id. */
function fediverseReply(text: string, actor = ACTOR): number {
  const commenter = t.services.commenters.signIn({ provider: 'fediverse', id: actor, displayName: 'Troll', profileUrl: 'https://social.example/@troll' })!;
  const id = guestComment({ text, commenter });
  t.db.prepare('UPDATE comments SET fedi_object_id = ? WHERE id = ?').run(`${actor}/statuses/${id}`, id);
  return id;
}

describe('Fediverse replies on the comments screen', () => {
  it('marks a Fediverse reply with a badge and its instance, and offers the blocks; a guest comment gets neither', async () => {
    const fedi = fediverseReply('Hello from Mastodon');
    const guest = guestComment({ text: 'A guest' });
    const { agent } = await adminAgent(t);
    const page = (await agent.get('/admin/comments/').expect(200)).text;
    const row = (id: number) => page.slice(page.indexOf(`id="comment-${id}"`), page.indexOf('</tr>', page.indexOf(`id="comment-${id}"`)));
    expect(row(fedi)).toContain('<span class="badge" title="A reply from the Fediverse, from social.example">Fediverse</span> <span class="muted">social.example</span>');
    expect(row(fedi)).toContain(`formaction="/admin/fediverse/comments/${fedi}/block/account/">Block this account</button>`);
    expect(row(fedi)).toContain(`formaction="/admin/fediverse/comments/${fedi}/block/domain/">Block this instance</button>`);
    expect(row(fedi)).toContain('Fediverse profile');
    expect(row(guest)).not.toContain('badge');
    expect(row(guest)).not.toContain('Block this');
  });

  it('"Block this instance" stores the block, spams the reply, and says so', async () => {
    const fedi = fediverseReply('Approved, then regretted');
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/comments/${fedi}/approve/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(await readerPage()).toContain('Approved, then regretted');
    const res = await agent.post(`/admin/fediverse/comments/${fedi}/block/domain/?status=approved`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/comments/?status=approved&did=block-domain&blocked=social.example');
    expect((await agent.get(res.headers.location)).text).toContain('Blocked the instance social.example; the reply was marked as spam.');
    expect(t.services.fediBlocks.list()).toEqual({ accounts: [], domains: ['social.example'] });
    expect(t.services.fediBlocks.isBlocked('https://social.example/users/someone-else')).toBe(true);
    expect(statusOf(fedi)).toBe('spam');
    expect(await readerPage()).not.toContain('Approved, then regretted');
  });

  it('"Block this account" blocks the actor only', async () => {
    const fedi = fediverseReply('Held reply');
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post(`/admin/fediverse/comments/${fedi}/block/account/`).type('form').send({ _csrf: csrf });
    expect((await agent.get(res.headers.location)).text).toContain(`Blocked ${ACTOR}; the reply was marked as spam.`);
    expect(t.services.fediBlocks.isBlocked(ACTOR)).toBe(true);
    expect(t.services.fediBlocks.isBlocked('https://social.example/users/friend')).toBe(false);
    expect(statusOf(fedi)).toBe('spam');
  });

  it('answers 404 for a comment that is not a Fediverse reply, blocking nothing', async () => {
    const guest = guestComment({ text: 'A guest' });
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.post(`/admin/fediverse/comments/${guest}/block/domain/`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.post('/admin/fediverse/comments/999/block/account/').type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.post(`/admin/fediverse/comments/${guest}/block/everyone/`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect(statusOf(guest)).toBe('pending');
    expect(t.services.fediBlocks.list()).toEqual({ accounts: [], domains: [] });
  });

  it('refuses authors and a POST without the form token', async () => {
    const fedi = fediverseReply('Still here');
    const author = await adminAgent(t, 'author');
    expect((await author.agent.post(`/admin/fediverse/comments/${fedi}/block/domain/`).type('form').send({ _csrf: author.csrf })).status).toBe(403);
    const { agent } = await adminAgent(t);
    expect((await agent.post(`/admin/fediverse/comments/${fedi}/block/domain/`).type('form').send({})).status).toBe(403);
    expect((await agent.post(`/admin/fediverse/comments/${fedi}/block/domain/`).type('form').send({ _csrf: 'forged' })).status).toBe(403);
    expect(statusOf(fedi)).toBe('pending');
    expect(t.services.fediBlocks.list()).toEqual({ accounts: [], domains: [] });
  });
});
