import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PATH } from '../support/app.js';
import { formFields } from '../support/comments.js';
import type { Answer } from './https-client.js';
import { startNginxSite, type NginxSite } from './nginx-site.js';

const PASSWORD = 'a long enough password for the admin';
const HELD_TEXT = 'Held words from Ani, for the moderator first';
const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cacheStatus = (res: Answer) => res.headers['x-cache-status'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `name=value` of a cookie the answer sets, as a browser sends it back. */
const cookieSet = (res: Answer, name: string) =>
  res.headers['set-cookie']?.map((line) => line.split(';')[0]).find((pair) => pair.startsWith(`${name}=`)) ?? '';

describe('deploy/nginx-cache.conf: nginx keeps anonymous pages a few seconds (Debian nginx in front of the built blog)', () => {
  let site: NginxSite;
  let admin: ReturnType<NginxSite['browser']>;
  /** The guest's two cookies after posting a held comment and asking to be remembered. */
  let guestCookies: { author: string; pending: string };
  let heldId = 0;
  let markers = 0;
  /** The first page kept, in the first test, and when it expires; read again only once the blog is stopped. */
  let keptHome = { text: '', expiresAt: 0 };
  const anonymous = () => site.browser('127.0.0.9');
  const logged = (method: string, url: string) => site.blog()!.output().split('\n').filter((line) => line.includes(`"method":"${method}","url":"${url}"`)).length;
  /** Reads a page until nginx answers it from its copy (while a copy is being refreshed, it answers UPDATING). */
  const keptCopy = async (url: string) => {
    for (let i = 0; i < 20; i++) {
      const res = await anonymous().get(url);
      if (cacheStatus(res) === 'HIT') return res;
      await sleep(100);
    }
    throw new Error(`nginx never answered ${url} from its cache`);
  };
  /** The blog logs requests in order: once a later request is logged, the earlier ones are too. */
  const logSettled = async () => {
    const marker = `/?nginx=marker${++markers}`;
    expect((await anonymous().get(marker)).status).toBe(200);
    for (let i = 0; i < 50 && logged('GET', marker) === 0; i++) await sleep(100);
    expect(logged('GET', marker)).toBe(1);
  };

  beforeAll(async () => {
    site = await startNginxSite();

    const claimer = site.browser('127.0.0.8');
    const setup = await claimer.postForm('/admin/setup/', { token: site.blog()!.setupToken()!, name: 'Admin', email: 'admin@example.org', password: PASSWORD }, { origin: site.origin });
    expect(setup.status).toBe(303);
    admin = site.browser('127.0.0.8');
    const login = await admin.postForm('/admin/login/', { email: 'admin@example.org', password: PASSWORD }, { 'sec-fetch-site': 'same-origin' });
    expect(login.status).toBe(303);

    const guest = site.browser('127.0.0.7');
    const page = await guest.get(SEED_PATH);
    // The form refuses what is sent within 3 s of rendering, as a bot would.
    await sleep(3500);
    const sent = await guest.postForm('/comments/', { ...formFields(page.text), author: 'Ani', email: 'ani@example.org', comment: HELD_TEXT, remember: 'yes' }, { 'sec-fetch-site': 'same-origin' });
    expect(sent.status).toBe(303);
    guestCookies = { author: cookieSet(sent, 'comment_author'), pending: cookieSet(sent, 'comment_pending') };
    expect(guestCookies.author).not.toBe('');
    expect(guestCookies.pending).not.toBe('');
    const db = new Database(site.dbPath, { readonly: true });
    try {
      heldId = db.prepare("SELECT id FROM comments WHERE author_email = 'ani@example.org' AND status = 'pending'").pluck().get() as number;
    } finally {
      db.close();
    }
    expect(heldId).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await site?.stop();
  });

  it('answers an anonymous page from the blog once (MISS), then from its cache (HIT)', async () => {
    const first = await anonymous().get('/?nginx=hit');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toMatch(/\bs-maxage=\d+/);
    expect(cacheStatus(first)).toBe('MISS');
    const second = await anonymous().get('/?nginx=hit');
    expect(cacheStatus(second)).toBe('HIT');
    expect(second.text).toBe(first.text);
    keptHome = { text: first.text, expiresAt: Date.now() + 1000 * Number(/\bs-maxage=(\d+)/.exec(String(first.headers['cache-control']))![1]) };
    await logSettled();
    expect(logged('GET', '/?nginx=hit')).toBe(1);
  });

  it('sends a burst of readers on a page it does not hold yet to the blog once', async () => {
    const burst = await Promise.all(Array.from({ length: 8 }, () => anonymous().get('/?nginx=burst')));
    expect(burst.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(new Set(burst.map((res) => res.text)).size).toBe(1);
    expect(burst.filter((res) => cacheStatus(res) === 'MISS')).toHaveLength(1);
    await logSettled();
    expect(logged('GET', '/?nginx=burst')).toBe(1);
  });

  it('passes a visitor with a session, a remembered name or a held comment to the blog (BYPASS) and keeps none of their pages', async () => {
    const url = `${SEED_PATH}?nginx=personal`;
    await keptCopy(url);

    const asAdmin = await admin.get(url);
    expect(admin.cookieNames()).toContain('blog.sid');
    expect(cacheStatus(asAdmin)).toBe('BYPASS');
    expect(asAdmin.text).toContain('Logged in as Admin.');
    // Other cookies beside the personal one, as browsers send them.
    const remembered = await anonymous().get(url, { cookie: `theme=dark; ${guestCookies.author}` });
    expect(cacheStatus(remembered)).toBe('BYPASS');
    expect(remembered.text).toContain('value="Ani"');
    const holding = await anonymous().get(url, { cookie: guestCookies.pending });
    expect(cacheStatus(holding)).toBe('BYPASS');
    expect(holding.text).toContain(HELD_TEXT);

    const reader = await anonymous().get(url);
    expect(cacheStatus(reader)).toBe('HIT');
    expect(reader.text).not.toContain('Logged in as');
    expect(reader.text).not.toContain('value="Ani"');
    expect(reader.text).not.toContain(HELD_TEXT);
    await logSettled();
    expect(logged('GET', url)).toBe(4);
  });

  it('never answers a POST from the cache, nor keeps its answer', async () => {
    const kept = await keptCopy('/?nginx=post');
    for (let i = 0; i < 2; i++) {
      const posted = await anonymous().postForm('/?nginx=post', { comment: 'not a page' }, { 'sec-fetch-site': 'same-origin' });
      expect(cacheStatus(posted)).toBeUndefined();
      expect(posted.text).not.toBe(kept.text);
    }
    const after = await anonymous().get('/?nginx=post');
    expect(cacheStatus(after)).toBe('HIT');
    expect(after.text).toBe(kept.text);
    await logSettled();
    expect(logged('POST', '/?nginx=post')).toBe(2);
  });

  it('passes an ActivityPub client (Accept: activity+json) to the blog, so a kept page is never its answer nor its JSON kept', async () => {
    await keptCopy(SEED_PATH);
    for (let i = 0; i < 2; i++) {
      const json = await anonymous().get(SEED_PATH, { accept: 'application/activity+json' });
      expect(cacheStatus(json)).toBe('BYPASS');
      expect(json.headers['content-type']).toMatch(/^application\/activity\+json/);
    }
    const page = await anonymous().get(SEED_PATH);
    expect(cacheStatus(page)).toBe('HIT');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('never looks up or keeps the admin and sign-in pages', async () => {
    for (const url of ['/admin/login/', '/auth/google/callback/']) {
      const before = logged('GET', url);
      for (let i = 0; i < 2; i++) expect(cacheStatus(await anonymous().get(url))).toBeUndefined();
      await logSettled();
      expect(logged('GET', url)).toBe(before + 2);
    }
  });

  it('shows a comment approved in the admin to anonymous readers within the page\'s s-maxage', async () => {
    const kept = await keptCopy(SEED_PATH);
    expect(kept.text).not.toContain(HELD_TEXT);
    const sMaxAge = Number(/\bs-maxage=(\d+)/.exec(String(kept.headers['cache-control']))?.[1]);
    expect(sMaxAge).toBeGreaterThan(0);

    const list = await admin.get('/admin/comments/');
    const approved = await admin.postForm(`/admin/comments/${heldId}/approve/`, { _csrf: csrfFrom(list.text) }, { 'sec-fetch-site': 'same-origin' });
    expect(approved.status).toBe(303);
    const approvedAt = Date.now();
    // Readers still get the page nginx holds, not the blog's fresh one: the cache is in the way.
    const right = await anonymous().get(SEED_PATH);
    expect(['HIT', 'STALE', 'UPDATING']).toContain(cacheStatus(right));
    expect(right.text).not.toContain(HELD_TEXT);

    let shown: Answer | undefined;
    while (!shown && Date.now() - approvedAt < (sMaxAge + 5) * 1000) {
      await sleep(250);
      const res = await anonymous().get(SEED_PATH);
      if (res.text.includes(HELD_TEXT)) shown = res;
    }
    expect(shown, `not shown ${sMaxAge + 5} s after its approval`).toBeDefined();
    expect(shown!.text).not.toContain('Your comment is awaiting moderation.');
  });

  it('with the blog stopped, still answers an expired page read in the last minute, and 502 for the others', async () => {
    expect(await site.stopBlog()).toBe(0);
    // Kept in the first test and unread since: once it has expired, nginx would ask the blog.
    await sleep(keptHome.expiresAt + 1000 - Date.now());
    const kept = await anonymous().get('/?nginx=hit');
    expect(kept.status).toBe(200);
    expect(['STALE', 'UPDATING']).toContain(cacheStatus(kept));
    expect(kept.text).toBe(keptHome.text);
    expect((await anonymous().get('/?nginx=neverread')).status).toBe(502);
  });
});
