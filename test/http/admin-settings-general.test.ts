import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERAL, settingsHelpers } from '../support/admin-settings.js';
import { addPost, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields } from '../support/comments.js';
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
const { admin, reader } = settingsHelpers(() => t, (app) => { t = app; });

describe('General settings', () => {
  it('shows the current values, the languages and every time zone', async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/').expect(200);
    expect(page.text).toContain('id="title" name="title" value="IMers Blog"');
    expect(page.text).toContain('<option value="en" lang="en" selected>English</option>');
    expect(page.text).toContain('<option value="id" lang="id">Bahasa Indonesia</option>');
    expect(page.text).toContain('<option value="UTC" selected>UTC</option>');
    expect(page.text).toContain('<optgroup label="Asia">');
    expect(page.text).toContain('<option value="Asia/Jakarta">Jakarta (Western Indonesia Time)</option>');
    expect(page.text).toContain('<option value="America/Argentina/San_Juan">Argentina – San Juan (Argentina Standard Time)</option>');
    expect(page.text).toContain('placeholder="http://blog.test"');
    expect(page.text).toContain('Secure cookies and HSTS are still decided by <code>PUBLIC_URL</code>');
  });

  it('names the time zones in the site language where Intl knows them, the values staying the zone ids', async () => {
    const { agent } = await admin();
    t!.services.settings.update({ language: 'id' });
    const page = await agent.get('/admin/settings/').expect(200);
    expect(page.text).toContain('<option value="Asia/Jakarta">Jakarta (Waktu Indonesia Barat)</option>');
    expect(page.text).toContain('<option value="Asia/Makassar">Makassar (Waktu Indonesia Tengah)</option>');
    // Where Intl knows only an offset, the place alone.
    expect(page.text).toContain('<option value="UTC" selected>UTC</option>');
    expect(page.text).not.toContain('Western Indonesia Time');
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
