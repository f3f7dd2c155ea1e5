import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { settingsHelpers } from '../support/admin-settings.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { createFediFollowersRepository } from '../../src/repositories/fedi-followers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
const { admin } = settingsHelpers(() => t, (app) => { t = app; });

const SCREEN = '/admin/settings/fediverse/';

/** A follower as F1's inbox stores one after a Follow. */
function follow(app: TestApp, user: string, name: string, at: string) {
  const actorUri = `https://social.example/users/${user}`;
  createFediFollowersRepository(app.db).add({
    actorUri, handle: `@${user}@social.example`, name, inbox: `${actorUri}/inbox`, sharedInbox: 'https://social.example/inbox', followId: `${actorUri}#follows/1`,
  }, Date.parse(at));
  return createFediFollowersRepository(app.db).findByActor(actorUri)!.id;
}

describe('Settings → Fediverse: followers', () => {
  it('lists the followers with their handle, name and since when, and says when there are none', async () => {
    const { agent } = await admin();
    expect((await agent.get(SCREEN).expect(200)).text).toContain('Nobody follows the blog yet.');
    follow(t!, 'ann', 'Ann <b>A.</b>', '2026-03-01T10:00:00Z');
    follow(t!, 'bob', 'Bob', '2026-04-02T10:00:00Z');
    const page = (await agent.get(SCREEN).expect(200)).text;
    expect(page).toContain('<h2 id="followers">Followers (2)</h2>');
    expect(page).toContain('<a href="https://social.example/users/ann" rel="external noopener noreferrer">@ann@social.example</a>');
    expect(page).toContain('Ann &lt;b&gt;A.&lt;/b&gt;');
    expect(page).toContain('March 1, 2026');
    expect(page.indexOf('@bob@social.example')).toBeLessThan(page.indexOf('@ann@social.example'));
  });

  it('removes a follower, and blocks one (removed and kept from following again)', async () => {
    const { agent, csrf } = await admin();
    const ann = follow(t!, 'ann', 'Ann', '2026-03-01T10:00:00Z');
    const bob = follow(t!, 'bob', 'Bob', '2026-04-02T10:00:00Z');
    const removed = await agent.post(`${SCREEN}followers/${ann}/remove/`).type('form').send({ _csrf: csrf });
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(`${SCREEN}?follower=removed#followers`);
    const page = (await agent.get(`${SCREEN}?follower=removed`)).text;
    expect(page).toContain('Follower removed. They can follow again.');
    expect(page).not.toContain('@ann@social.example');
    expect(t!.services.fediBlocks.isBlocked('https://social.example/users/ann')).toBe(false);
    await agent.post(`${SCREEN}followers/${bob}/block/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(t!.services.fediBlocks.isBlocked('https://social.example/users/bob')).toBe(true);
    expect((await agent.get(SCREEN)).text).toContain('Nobody follows the blog yet.');
    expect((await agent.post(`${SCREEN}followers/${bob}/block/`).type('form').send({ _csrf: csrf })).status).toBe(404);
  });

  it('is refused to authors and without the token', async () => {
    t = makeTestApp();
    const ann = follow(t, 'ann', 'Ann', '2026-03-01T10:00:00Z');
    const author = await adminAgent(t, 'author');
    expect((await author.agent.post(`${SCREEN}followers/${ann}/remove/`).type('form').send({ _csrf: author.csrf })).status).toBe(403);
    const { agent } = await adminAgent(t);
    expect((await agent.post(`${SCREEN}followers/${ann}/block/`).type('form').send({ _csrf: 'forged' })).status).toBe(403);
    expect(createFediFollowersRepository(t.db).count()).toBe(1);
  });
});
