import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp, type TestAppOptions } from '../support/app.js';
import { formFields, manualClock, submitComment } from '../support/comments.js';
import { startFakeOAuth2Provider, type FakeOAuth2Provider } from '../support/fake-oauth2.js';
import { startFakeTwitter, type FakeTwitter } from '../support/fake-twitter.js';

let t: TestApp | undefined;
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  t?.close();
  t = undefined;
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

const GENERAL = { title: 'IMers Blog', tagline: 'Catatan seorang newbie IM', publicUrl: '', language: 'en', timeZone: 'UTC', postsPerPage: '10' };
const DISCUSSION = {
  requireNameEmail: '1', requirePreviouslyApproved: '1', moderationLinks: '2', moderationKeys: '', disallowedKeys: '',
  threadComments: '1', threadDepth: '5', commentsPerPage: '50', closeCommentsAfterDays: '14', useGravatar: '1',
};

/** An administrator's session, and a way to post a settings form as their browser would. */
async function admin(options: TestAppOptions = {}) {
  const app = makeTestApp(options);
  t = app;
  const { agent, csrf } = await adminAgent(app);
  const save = (path: string, form: Record<string, string | string[]>) =>
    agent.post(path).type('form').send({ _csrf: csrf, ...form });
  return { t: app, agent, csrf, save };
}

const reader = (path: string) => request(t!.app).get(path);

describe('/admin/settings/ access', () => {
  const routes = ['/admin/settings/', '/admin/settings/discussion/', '/admin/settings/media/'];

  it('answers an author 403 on every settings screen, for reading and for saving, and changes nothing', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t, 'author');
    const dashboard = await agent.get('/admin/');
    expect(dashboard.text).not.toContain('href="/admin/settings/"');
    for (const path of routes) {
      expect((await agent.get(path)).status).toBe(403);
      expect((await agent.post(path).type('form').send({ _csrf: csrf, ...GENERAL, title: 'Taken over', maxUploadMb: '100' })).status).toBe(403);
    }
    expect(t.services.settings.get()).toMatchObject({ title: 'IMers Blog', maxUploadMb: 8 });
  });

  it('sends an anonymous visitor to the login and refuses an anonymous POST', async () => {
    t = makeTestApp();
    for (const path of routes) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/login/?next=${encodeURIComponent(path)}`);
      expect((await request(t.app).post(path).type('form').send({ title: 'x' })).status).toBe(403);
    }
  });

  it('refuses a save without the form token, or with another one', async () => {
    const { agent } = await admin();
    for (const token of [undefined, 'forged']) {
      const res = await agent.post('/admin/settings/').type('form').send({ ...GENERAL, title: 'Forged', ...(token ? { _csrf: token } : {}) });
      expect(res.status).toBe(403);
    }
    expect(t!.services.settings.get().title).toBe('IMers Blog');
  });

  it('links the three screens to each other and marks the current one', async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    expect(page.text).toContain('<h1>Discussion Settings</h1>');
    expect(page.text).toContain('href="/admin/settings/"');
    expect(page.text).toContain('href="/admin/settings/discussion/" aria-current="page"');
    expect(page.text).toContain('href="/admin/settings/media/"');
    expect(page.headers['cache-control']).toBe('no-store');
  });
});

describe('General settings', () => {
  it('shows the current values, the languages and every time zone', async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/').expect(200);
    expect(page.text).toContain('id="title" name="title" value="IMers Blog"');
    expect(page.text).toContain('<option value="en" lang="en" selected>English</option>');
    expect(page.text).toContain('<option value="id" lang="id">Bahasa Indonesia</option>');
    expect(page.text).toContain('<option value="UTC" selected>UTC</option>');
    expect(page.text).toContain('<optgroup label="Asia">');
    expect(page.text).toContain('<option value="Asia/Jakarta">Jakarta</option>');
    expect(page.text).toContain('<option value="America/Argentina/San_Juan">Argentina – San Juan</option>');
    expect(page.text).toContain('placeholder="http://blog.test"');
    expect(page.text).toContain('Secure cookies and HSTS are still decided by <code>PUBLIC_URL</code>');
  });

  it('saves the title and tagline, says so, and the home page shows them at once', async () => {
    const { agent, save } = await admin();
    const res = await save('/admin/settings/', { ...GENERAL, title: 'Blog Baru', tagline: 'Tentang <b>IM</b>' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/settings/?saved=1');
    const back = await agent.get(res.headers.location);
    expect(back.text).toContain('Settings saved.');
    expect(back.text).toContain('value="Blog Baru"');
    const home = await reader('/').expect(200);
    expect(home.text).toContain('<title>Blog Baru – Tentang &lt;b&gt;IM&lt;/b&gt;</title>');
    expect(home.text).not.toContain('IMers Blog');
  });

  it('switches the words readers see to Indonesian', async () => {
    const { save } = await admin();
    expect((await reader('/')).text).toContain('<button type="submit">Search</button>');
    expect((await save('/admin/settings/', { ...GENERAL, language: 'id' })).status).toBe(303);
    const home = await reader('/');
    expect(home.text).toContain('<html lang="id">');
    expect(home.text).toContain('<button type="submit">Cari</button>');
  });

  it('dates permalinks in the chosen time zone', async () => {
    const { save } = await admin();
    addPost(t!, { slug: 'late-night', title: 'Late night', publishedAt: '2016-05-11T20:00:00Z' });
    expect((await reader('/')).text).toContain('href="/2016/05/11/late-night/"');
    expect((await save('/admin/settings/', { ...GENERAL, timeZone: 'Asia/Jakarta' })).status).toBe(303);
    expect((await reader('/')).text).toContain('href="/2016/05/12/late-night/"');
    await reader('/2016/05/12/late-night/').expect(200);
    const old = await reader('/2016/05/11/late-night/');
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe('/2016/05/12/late-night/');
  });

  it('shows as many posts a page as asked', async () => {
    const { save } = await admin();
    for (const n of [1, 2]) addPost(t!, { slug: `post-${n}`, title: `Post ${n}`, publishedAt: `2020-01-0${n}T10:00:00Z` });
    expect((await reader('/')).text).not.toContain('href="/page/2/"');
    expect((await save('/admin/settings/', { ...GENERAL, postsPerPage: '2' })).status).toBe(303);
    const home = await reader('/');
    expect(home.text).toContain('href="/page/2/"');
    expect(home.text).toContain('Post 2');
    expect(home.text).not.toContain('Trend life style');
    expect((await reader('/page/2/').expect(200)).text).toContain('Trend life style');
  });

  it('makes the public URL what canonical links, feeds, the sitemap and robots.txt use, and empty goes back', async () => {
    const { agent, save } = await admin();
    expect((await save('/admin/settings/', { ...GENERAL, publicUrl: ' https://WWW.Example.org/blog/ ' })).status).toBe(303);
    expect(t!.services.settings.get().publicUrl).toBe('https://www.example.org/blog');
    expect((await agent.get('/admin/settings/')).text).toContain('value="https://www.example.org/blog"');

    const post = await reader(SEED_PATH);
    expect(post.text).toContain(`<link rel="canonical" href="https://www.example.org/blog${SEED_PATH}">`);
    expect(post.text).toContain('href="https://www.example.org/blog/feed/"');
    expect(post.text).not.toContain('http://blog.test');
    const feed = await reader('/feed/');
    expect(feed.text).toContain('<link>https://www.example.org/blog/</link>');
    expect(feed.text).toContain(`<link>https://www.example.org/blog${SEED_PATH}</link>`);
    expect((await reader('/feed/atom/')).text).toContain(`<id>https://www.example.org/blog${SEED_PATH}</id>`);
    expect((await reader('/sitemap.xml')).text).toContain(`<loc>https://www.example.org/blog${SEED_PATH}</loc>`);
    expect((await reader('/robots.txt')).text).toContain('Sitemap: https://www.example.org/blog/sitemap.xml');

    expect((await save('/admin/settings/', { ...GENERAL, publicUrl: '' })).status).toBe(303);
    expect((await reader(SEED_PATH)).text).toContain(`<link rel="canonical" href="http://blog.test${SEED_PATH}">`);
    expect((await reader('/sitemap.xml')).text).toContain(`<loc>http://blog.test${SEED_PATH}</loc>`);
  });

  it('refuses bad values with 422, names each problem by its field, keeps what was typed and changes nothing', async () => {
    const { save } = await admin();
    const typed = { title: '"><script>alert(1)</script>', tagline: 'x'.repeat(5000), publicUrl: 'javascript:alert(1)', language: 'fr', timeZone: 'Mars/Olympus', postsPerPage: '0' };
    const res = await save('/admin/settings/', typed);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Settings were not saved. Please correct the fields marked below.');
    expect(res.text).toContain('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain(`value="${'x'.repeat(5000)}"`);
    expect(res.text).toContain('<span class="error" id="tagline-error">Keep the tagline under 300 characters.</span>');
    expect(res.text).toContain('value="javascript:alert(1)"');
    expect(res.text).toContain('<span class="error" id="publicUrl-error">Enter an address starting with http:// or https://');
    expect(res.text).toContain('<span class="error" id="language-error">Choose English or Bahasa Indonesia.</span>');
    expect(res.text).toContain('<option value="Mars/Olympus" selected>Mars/Olympus</option>');
    expect(res.text).toContain('<span class="error" id="timeZone-error">Choose a time zone from the list.</span>');
    expect(res.text).toContain('id="postsPerPage" name="postsPerPage" value="0"');
    expect(res.text).toContain('<span class="error" id="postsPerPage-error">Enter a whole number from 1 to 100.</span>');
    expect(res.text).toContain('aria-invalid="true"');
    // One bad field keeps the good ones from being saved too.
    expect((await save('/admin/settings/', { ...GENERAL, title: 'Good title', postsPerPage: '0' })).status).toBe(422);
    expect(t!.services.settings.get()).toMatchObject({ title: 'IMers Blog', tagline: 'Catatan seorang newbie IM', publicUrl: '', timeZone: 'UTC', postsPerPage: 10 });
    expect((await reader('/')).text).toContain('<title>IMers Blog – Catatan seorang newbie IM</title>');
  });

  it('accepts only an absolute http(s) address without query, fragment or credentials', async () => {
    const { save } = await admin();
    for (const publicUrl of ['//example.org', 'ftp://example.org', 'example.org', 'https://example.org/?a=1', 'https://example.org/#top', 'https://user:pw@example.org', `https://${'a'.repeat(300)}.org`]) {
      const res = await save('/admin/settings/', { ...GENERAL, publicUrl });
      expect(res.status, publicUrl).toBe(422);
      expect(res.text).toContain('id="publicUrl-error"');
    }
    expect(t!.services.settings.get().publicUrl).toBe('');
  });

  it('answers 422, never 500, to missing fields, repeated fields and an empty form', async () => {
    const { save } = await admin();
    expect((await save('/admin/settings/', { ...GENERAL, title: ['One', 'Two'] })).status).toBe(422);
    expect((await save('/admin/settings/', { postsPerPage: '5' })).status).toBe(422);
    expect((await save('/admin/settings/', {})).status).toBe(422);
    expect((await save('/admin/settings/', { ...GENERAL, postsPerPage: '1e1' })).status).toBe(422);
    expect((await save('/admin/settings/', { ...GENERAL, tagline: 'x'.repeat(3_000_000) })).status).toBe(422);
    expect(t!.services.settings.get().postsPerPage).toBe(10);
  });
});

describe('the public URL and login providers', () => {
  it('gives OAuth 2 providers the callback on the saved address, without a restart', async () => {
    const fake: FakeOAuth2Provider = await startFakeOAuth2Provider({ kind: 'wordpress', clientId: 'client-id', clientSecret: 'client-secret' });
    closers.push(() => fake.close());
    const { save } = await admin({
      env: {
        WORDPRESS_CLIENT_ID: 'client-id', WORDPRESS_CLIENT_SECRET: 'client-secret',
        WORDPRESS_AUTHORIZATION_URL: fake.authorizationUrl, WORDPRESS_TOKEN_URL: fake.tokenUrl, WORDPRESS_PROFILE_URL: fake.profileUrl,
      },
    });
    const start = async () => {
      const visitor = request.agent(t!.app);
      const page = await visitor.get(SEED_PATH);
      const res = await visitor.post('/auth/wordpress/').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(page.text));
      expect(res.status).toBe(302);
      return new URL(res.headers.location).searchParams.get('redirect_uri');
    };
    expect(await start()).toBe('http://blog.test/auth/wordpress/callback');
    expect((await save('/admin/settings/', { ...GENERAL, publicUrl: 'https://imers.example' })).status).toBe(303);
    expect(await start()).toBe('https://imers.example/auth/wordpress/callback');
  });

  it('gives Twitter (OAuth 1.0a) the callback on the saved address', async () => {
    const fake: FakeTwitter = await startFakeTwitter({ consumerKey: 'ck', consumerSecret: 'cs' });
    closers.push(() => fake.close());
    const { save } = await admin({
      env: {
        TWITTER_CONSUMER_KEY: 'ck', TWITTER_CONSUMER_SECRET: 'cs',
        TWITTER_REQUEST_TOKEN_URL: fake.requestTokenUrl, TWITTER_ACCESS_TOKEN_URL: fake.accessTokenUrl,
        TWITTER_USER_AUTHORIZATION_URL: fake.userAuthorizationUrl, TWITTER_USER_PROFILE_URL: fake.userProfileUrl,
      },
    });
    expect((await save('/admin/settings/', { ...GENERAL, publicUrl: 'https://imers.example' })).status).toBe(303);
    const visitor = request.agent(t!.app);
    const page = await visitor.get(SEED_PATH);
    const res = await visitor.post('/auth/twitter/').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(page.text));
    expect(res.status).toBe(302);
    const atTwitter = await fetch(res.headers.location, { redirect: 'manual' });
    const back = new URL(atTwitter.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('https://imers.example/auth/twitter/callback');
  });
});

describe('Discussion settings', () => {
  it("starts from WordPress's defaults", async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    for (const box of ['requireNameEmail', 'requirePreviouslyApproved', 'threadComments', 'useGravatar']) {
      expect(page.text).toMatch(new RegExp(`id="${box}" name="${box}" value="1" checked>`));
    }
    for (const box of ['pageComments', 'closeComments']) expect(page.text).toMatch(new RegExp(`id="${box}" name="${box}" value="1">`));
    expect(page.text).toContain('<option value="5" selected>5</option>');
    expect(page.text).toContain('id="moderationLinks" name="moderationLinks" value="2"');
    expect(page.text).toContain('id="commentsPerPage" name="commentsPerPage" value="50"');
    expect(page.text).toContain('id="closeCommentsAfterDays" name="closeCommentsAfterDays" value="14"');
  });

  it('round-trips every knob: an unticked box is false, and the word lists keep one entry a line', async () => {
    const { agent, save } = await admin();
    const res = await save('/admin/settings/discussion/', {
      moderationLinks: '0', moderationKeys: '  casino \r\n\r\n192.168.1.1\r\n', disallowedKeys: 'viagra\r\nspam.example',
      threadDepth: '3', commentsPerPage: '20', closeCommentsAfterDays: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/settings/discussion/?saved=1');
    expect(t!.services.settings.get()).toMatchObject({
      requireNameEmail: false, requirePreviouslyApproved: false, moderationLinks: 0, moderationKeys: 'casino\n192.168.1.1',
      disallowedKeys: 'viagra\nspam.example', threadDepth: 1, pageComments: false, commentsPerPage: 20, closeCommentsAfterDays: 0, useGravatar: false,
    });
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain('Settings saved.');
    expect(page.text).not.toContain('checked');
    expect(page.text).toContain('>casino\n192.168.1.1</textarea>');

    expect((await save('/admin/settings/discussion/', {
      ...DISCUSSION, pageComments: '1', threadDepth: '10', closeComments: '1', closeCommentsAfterDays: '30', commentsPerPage: '7',
    })).status).toBe(303);
    expect(t!.services.settings.get()).toMatchObject({
      requireNameEmail: true, requirePreviouslyApproved: true, moderationLinks: 2, moderationKeys: '', disallowedKeys: '',
      threadDepth: 10, pageComments: true, commentsPerPage: 7, closeCommentsAfterDays: 30, useGravatar: true,
    });
    const again = await agent.get('/admin/settings/discussion/');
    expect(again.text).toContain('<option value="10" selected>10</option>');
    expect(again.text).toContain('id="closeComments" name="closeComments" value="1" checked>');
    expect(again.text).toContain('value="30"');
  });

  it('without threading, no comment offers a Reply link; without avatars, no Gravatar is shown', async () => {
    const clock = manualClock();
    const { save } = await admin({ now: clock.now });
    t!.services.settings.update({ requirePreviouslyApproved: false });
    expect((await submitComment(t!, clock, { comment: 'First!' })).status).toBe(303);
    const before = await reader(SEED_PATH);
    expect(before.text).toContain('class="comment-reply-link"');
    expect(before.text).toContain('src="https://gravatar.com/avatar/');

    const { requirePreviouslyApproved: _a, threadComments: _t, useGravatar: _g, ...unticked } = DISCUSSION;
    expect((await save('/admin/settings/discussion/', unticked)).status).toBe(303);
    const after = await reader(SEED_PATH);
    expect(after.text).toContain('First!');
    expect(after.text).not.toContain('class="comment-reply-link"');
    expect(after.text).not.toContain('gravatar.com');
  });

  it('with name and email no longer required, lets an anonymous comment through', async () => {
    const clock = manualClock();
    const { save } = await admin({ now: clock.now });
    const refused = await submitComment(t!, clock, { author: '', email: '', comment: 'Who am I?' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Please enter your name.');

    const { requireNameEmail: _, ...rest } = DISCUSSION;
    expect((await save('/admin/settings/discussion/', rest)).status).toBe(303);
    clock.advance(60);
    const accepted = await submitComment(t!, clock, { author: '', email: '', comment: 'Who am I?' });
    expect(accepted.status).toBe(303);
    expect(t!.db.prepare('SELECT author_name, author_email, status FROM comments').get()).toEqual({ author_name: 'Anonymous', author_email: '', status: 'pending' });
  });

  it('closes comments on older posts once the box is ticked', async () => {
    const { save } = await admin();
    expect((await reader(SEED_PATH)).text).toContain('id="commentform"');
    expect((await save('/admin/settings/discussion/', { ...DISCUSSION, closeComments: '1', closeCommentsAfterDays: '30' })).status).toBe(303);
    expect((await reader(SEED_PATH)).text).toContain('Comments are closed.');
  });

  it('refuses unusable numbers and oversized lists with 422, keeping what was typed', async () => {
    const { save } = await admin();
    const res = await save('/admin/settings/discussion/', {
      ...DISCUSSION, closeComments: '1', closeCommentsAfterDays: '0', moderationLinks: 'many', threadDepth: '11',
      commentsPerPage: '-1', disallowedKeys: 'w\n'.repeat(15_000),
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<span class="error" id="closeCommentsAfterDays-error">Enter a number of days from 1 to 36500, or untick the box.</span>');
    expect(res.text).toContain('<span class="error" id="moderationLinks-error">Enter a whole number from 0 to 100.</span>');
    expect(res.text).toContain('<span class="error" id="threadDepth-error">Choose from 2 to 10 levels, or untick the box.</span>');
    expect(res.text).toContain('<span class="error" id="commentsPerPage-error">Enter a whole number from 1 to 500.</span>');
    expect(res.text).toContain('<span class="error" id="disallowedKeys-error">Keep this list under 20,000 characters.</span>');
    expect(res.text).toContain('value="many"');
    expect(res.text).toContain('id="closeComments" name="closeComments" value="1" checked>');
    expect(t!.services.settings.get()).toMatchObject({ closeCommentsAfterDays: 0, moderationLinks: 2, threadDepth: 5, commentsPerPage: 50, disallowedKeys: '' });
  });
});

describe('Media settings', () => {
  it('saves the upload limit in megabytes and refuses anything but 1 to 100', async () => {
    const { agent, save } = await admin();
    expect((await agent.get('/admin/settings/media/')).text).toContain('id="maxUploadMb" name="maxUploadMb" value="8"');
    expect((await save('/admin/settings/media/', { maxUploadMb: '20' })).status).toBe(303);
    expect(t!.services.settings.get().maxUploadMb).toBe(20);
    for (const maxUploadMb of ['0', '101', 'big', '2.5', '']) {
      const res = await save('/admin/settings/media/', { maxUploadMb });
      expect(res.status, maxUploadMb).toBe(422);
      expect(res.text).toContain(`value="${maxUploadMb}"`);
      expect(res.text).toContain('Enter a whole number from 1 to 100.');
    }
    expect(t!.services.settings.get().maxUploadMb).toBe(20);
  });
});
