import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

/** Publishes `count` posts a day apart after the seed article, the newest last. */
function addDailyPosts(count: number) {
  for (let i = 1; i <= count; i++) {
    addPost(t, { slug: `post-${i}`, title: `Post number ${i}`, publishedAt: new Date(Date.UTC(2020, 0, i, 12)).toISOString() });
  }
}

describe('GET /', () => {
  it('lists the seed article with its date, author, excerpt, comment count and a Continue reading link', async () => {
    const res = await request(t.app).get('/').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain(`<a href="${SEED_PATH}" rel="bookmark">Trend life style: menjadi pasangan\u00a0IMers</a>`);
    expect(res.text).toContain('May 12, 2016');
    expect(res.text).toContain('Newbie IM');
    expect(res.text).toContain('Sepertinya ini telah menjadi salah satu trend life style');
    expect(res.text).not.toContain('Flash Back');
    expect(res.text).toContain('Continue reading “Trend life style: menjadi pasangan\u00a0IMers”');
    expect(res.text).toContain('Leave a comment');
  });

  it('shows the text above <!--more--> as the excerpt', async () => {
    addPost(t, { slug: 'teaser', markdown: 'Shown on the home page.\n\n<!--more-->\n\nOnly on the post page.' });
    const res = await request(t.app).get('/').expect(200);
    expect(res.text).toContain('Shown on the home page.');
    expect(res.text).not.toContain('Only on the post page.');
  });

  it('shows newest posts first, ten a page, with older and newer links', async () => {
    addDailyPosts(12);
    const first = await request(t.app).get('/').expect(200);
    expect(first.text.indexOf('Post number 12')).toBeLessThan(first.text.indexOf('Post number 11'));
    expect(first.text).not.toContain('Post number 2<');
    expect(first.text).toContain('href="/page/2/"');
    expect(first.text).toContain('Page 1 of 2');
    const second = await request(t.app).get('/page/2/').expect(200);
    expect(second.text).toContain('Post number 2<');
    expect(second.text).toContain('Trend life style');
    expect(second.text).toMatch(/<a class="newer" href="\/"/);
    expect(second.text).not.toContain('class="older"');
  });

  it('takes posts per page from the settings', async () => {
    addDailyPosts(3);
    t.services.settings.update({ postsPerPage: 2 });
    const res = await request(t.app).get('/').expect(200);
    expect(res.text).toContain('Page 1 of 2');
  });

  it.each([
    ['page 0', '/page/0/'],
    ['a page past the last', '/page/3/'],
    ['a non-numeric page', '/page/abc/'],
    ['a negative page', '/page/-1/'],
  ])('answers %s with the themed 404', async (_name, path) => {
    const res = await request(t.app).get(path).expect(404);
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('class="site-header"');
  });

  it('redirects /page/1/ to the listing itself', async () => {
    await request(t.app).get('/page/1/').expect(301).expect('Location', '/');
  });
});

describe('GET /YYYY/MM/DD/slug/', () => {
  it('shows the post with its meta, terms linking to archives and the comments place', async () => {
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.text).toContain('<h1 class="entry-title">Trend life style: menjadi pasangan\u00a0IMers</h1>');
    expect(res.text).toContain('<a href="/category/life-style/" rel="category tag">Life Style</a>');
    expect(res.text).toContain('<a href="/tag/imers/" rel="tag">IMers</a>');
    expect(res.text).toContain('<a href="/author/newbie-im/" rel="author">Newbie IM</a>');
    expect(res.text).toContain('id="comments"');
    expect(res.text).toContain('lang="id"');
  });

  it('links to the previous and next posts', async () => {
    addPost(t, { slug: 'older', title: 'The older one', publishedAt: '2015-01-01T10:00:00Z' });
    addPost(t, { slug: 'newer', title: 'The newer one', publishedAt: '2017-01-01T10:00:00Z' });
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.text).toMatch(/<a class="previous" href="\/2015\/01\/01\/older\/" rel="prev">.*The older one<\/a>/);
    expect(res.text).toMatch(/<a class="next" href="\/2017\/01\/01\/newer\/" rel="next">.*The newer one<\/a>/);
  });

  it('redirects a request without the trailing slash with 301, keeping the query', async () => {
    await request(t.app).get(SEED_PATH.slice(0, -1)).expect(301).expect('Location', SEED_PATH);
    await request(t.app).get('/category/life-style?x=1').expect(301).expect('Location', '/category/life-style/?x=1');
  });

  it('never turns a double-slash path into an off-site redirect', async () => {
    const res = await request(t.app).get('//evil-host').expect(301);
    expect(res.headers.location).toBe('/evil-host/');
  });

  it('redirects a wrong date to the post’s permalink', async () => {
    await request(t.app).get('/2016/05/13/trend-life-style-menjadi-pasangan-imers/').expect(301).expect('Location', SEED_PATH);
  });

  it('dates the permalink in the site’s time zone', async () => {
    addPost(t, { slug: 'late-night', publishedAt: '2020-03-01T20:00:00Z' });
    t.services.settings.update({ timeZone: 'Asia/Jakarta' });
    await request(t.app).get('/2020/03/02/late-night/').expect(200);
  });

  it('answers unknown slugs, drafts and trashed posts with 404', async () => {
    addPost(t, { slug: 'a-draft', status: 'draft', publishedAt: '2020-01-01T00:00:00Z' });
    addPost(t, { slug: 'binned', status: 'trash', publishedAt: '2020-01-01T00:00:00Z' });
    await request(t.app).get('/2016/05/12/no-such-post/').expect(404);
    await request(t.app).get('/2020/01/01/a-draft/').expect(404);
    await request(t.app).get('/2020/01/01/binned/').expect(404);
    const home = await request(t.app).get('/');
    expect(home.text).not.toContain('a-draft');
  });

  it('answers an impossible date with 404', async () => {
    await request(t.app).get('/2016/13/12/trend-life-style-menjadi-pasangan-imers/').expect(404);
    await request(t.app).get('/2016/05/32/trend-life-style-menjadi-pasangan-imers/').expect(404);
    await request(t.app).get('/2016/00/').expect(404);
    await request(t.app).get('/2016/05/').expect(200);
  });
});

describe('the IMers article', () => {
  it('comes through intact: three h2 headings, curly quotes, the emoji, the dots and the literal *Newbie IM', async () => {
    const res = await request(t.app).get(SEED_PATH).expect(200);
    const body = res.text.slice(res.text.indexOf('<div class="entry-content">'), res.text.indexOf('</article>'));
    expect(body.match(/<h2>/g)).toHaveLength(3);
    expect(body).toContain('<h2>Flash Back</h2>');
    expect(body).toContain('<h2>Apa itu IMers?</h2>');
    expect(body).toContain('<h2>Apa kerjaan IMers dan bagaimana kehidupannya?</h2>');
    expect(body).toContain('‘menjadi pasangan IMers’');
    expect(body).toContain('‘natural’');
    expect(body).toContain('angkat telpon nya saja😀');
    expect(body).toContain('Begitulah. . . . .seru juga kalau dipelajari.');
    expect(body).toContain('<p>*Newbie IM</p>');
    expect(body).not.toContain('<em>Newbie');
  });
});

describe('GET /slug/ (static pages)', () => {
  it('shows a page at its slug, and keeps it out of the home list and feeds', async () => {
    addPost(t, { type: 'page', slug: 'about', title: 'About this blog', markdown: 'Who writes here.' });
    const page = await request(t.app).get('/about/').expect(200);
    expect(page.text).toContain('About this blog');
    expect(page.text).toContain('Who writes here.');
    expect(page.text).not.toContain('id="comments"');
    expect((await request(t.app).get('/')).text).not.toContain('About this blog');
    expect((await request(t.app).get('/feed/')).text).not.toContain('About this blog');
  });

  it('answers an unknown page with the themed 404', async () => {
    const res = await request(t.app).get('/no-such-page/').expect(404);
    expect(res.text).toContain('Page not found');
  });
});

describe('archives', () => {
  it.each([
    ['/category/life-style/', 'Category: Life Style'],
    ['/tag/imers/', 'Tag: IMers'],
    ['/author/newbie-im/', 'Author: Newbie IM'],
    ['/2016/', 'Year: 2016'],
    ['/2016/05/', 'Month: May 2016'],
  ])('%s lists the article under “%s”', async (path, heading) => {
    const res = await request(t.app).get(path).expect(200);
    expect(res.text).toContain(`<h1>${heading}</h1>`);
    expect(res.text).toContain('Trend life style: menjadi pasangan\u00a0IMers');
  });

  it('lists only what belongs to the archive', async () => {
    addPost(t, { slug: 'other', title: 'Elsewhere', publishedAt: '2019-02-03T10:00:00Z', categories: [{ slug: 'misc', name: 'Misc' }] });
    expect((await request(t.app).get('/category/life-style/')).text).not.toContain('Elsewhere');
    expect((await request(t.app).get('/2016/')).text).not.toContain('Elsewhere');
    expect((await request(t.app).get('/2019/02/')).text).toContain('Elsewhere');
    expect((await request(t.app).get('/2016/06/')).text).toContain('Nothing has been published here yet.');
  });

  it('paginates an archive', async () => {
    for (let i = 1; i <= 11; i++) addPost(t, { slug: `tagged-${i}`, publishedAt: new Date(Date.UTC(2021, 0, i)).toISOString(), tags: [{ slug: 'imers', name: 'IMers' }] });
    await request(t.app).get('/tag/imers/page/2/').expect(200);
    await request(t.app).get('/tag/imers/page/3/').expect(404);
  });

  it('answers the year 0000, which no calendar has, with 404', async () => {
    for (const path of ['/0000/', '/0000/01/', '/0000/page/2/']) expect((await request(t.app).get(path).expect(404)).text).toContain('Page not found');
  });

  it('answers unknown terms and authors with 404', async () => {
    await request(t.app).get('/category/nope/').expect(404);
    await request(t.app).get('/tag/nope/').expect(404);
    await request(t.app).get('/author/nobody/').expect(404);
  });
});

describe('GET /?s=', () => {
  it('finds posts by words, ranked, with the matches highlighted in a snippet', async () => {
    addPost(t, { slug: 'only-once', title: 'A note', markdown: 'Mentions pasangan just once among many other words here.' });
    const res = await request(t.app).get('/?s=pasangan').expect(200);
    expect(res.text).toContain('Search results for “pasangan”');
    expect(res.text).toContain('2 results');
    expect(res.text).toMatch(/<mark>pasangan<\/mark>/);
    expect(res.text.indexOf('Trend life style')).toBeLessThan(res.text.indexOf('A note'));
  });

  it('ignores accents', async () => {
    addPost(t, { slug: 'cafe', title: 'Café culture', markdown: 'Un café crème.' });
    const res = await request(t.app).get('/?s=cafe').expect(200);
    expect(res.text).toContain('Café culture');
  });

  it('finds a Chinese or Japanese word inside a sentence written without spaces, its characters marked', async () => {
    addPost(t, { slug: 'tokyo-trip', title: '2026年东京旅行', markdown: '我们第一次去东京，住在新宿。' });
    addPost(t, { slug: 'tower', title: 'Menara', markdown: '東京タワーは高いです。' });
    addPost(t, { slug: 'apart', title: 'Terpisah', markdown: '东方的京城。' });
    const chinese = await request(t.app).get(`/?s=${encodeURIComponent('东京')}`).expect(200);
    expect(chinese.text).toContain('2026年东京旅行');
    expect(chinese.text).toContain('1 result');
    // 东 and 京 side by side only: "东方的京城" has both, apart.
    expect(chinese.text).not.toContain('Terpisah');
    expect(chinese.text).toContain('我们第一次去<mark>东京</mark>，住在新宿。');
    const japanese = await request(t.app).get(`/?s=${encodeURIComponent('タワー')}`).expect(200);
    expect(japanese.text).toContain('Menara');
    expect(japanese.text).toContain('東京<mark>タワー</mark>は高いです。');
    // A word in Latin letters written against Chinese ones is found too.
    addPost(t, { slug: 'phone', title: 'Ulasan', markdown: '新款iPhone手机评测' });
    expect((await request(t.app).get(`/?s=${encodeURIComponent('iPhone手机')}`).expect(200)).text).toContain('新款<mark>iPhone手机</mark>评测');
  });

  it('says so when nothing matches', async () => {
    const res = await request(t.app).get('/?s=zzzzqqq').expect(200);
    expect(res.text).toContain('Sorry, nothing matched your search terms.');
  });

  it.each(['"', '"unbalanced', '*', 'NEAR(', 'a NEAR/2 b', '(((', ')', 'AND', 'OR NOT', '^', ':', "'; DROP TABLE posts; --", '%', '\u0000', 'x'.repeat(5000)])(
    'answers FTS syntax %j without an error',
    async (query) => {
      const res = await request(t.app).get('/').query({ s: query }).expect(200);
      expect(res.text).toContain('class="archive-header"');
    },
  );

  it('escapes the query in the page', async () => {
    const res = await request(t.app).get('/').query({ s: '<script>alert(1)</script>' }).expect(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('copes with a repeated s parameter', async () => {
    await request(t.app).get('/?s=pasangan&s=imers').expect(200);
  });

  it('paginates results and 404s past the last page', async () => {
    await request(t.app).get('/page/2/?s=pasangan').expect(404);
  });
});

describe('errors', () => {
  it('answers a server fault with the themed error page, no stack trace', async () => {
    t.db.exec('DROP TABLE post_terms');
    const res = await request(t.app).get('/').expect(500);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).toContain('class="site-header"');
    expect(res.text).not.toMatch(/SqliteError|at .*\.js:\d+/);
  });
});

describe('theme and headers', () => {
  it('serves stylesheets with a content hash and a year-long cache lifetime', async () => {
    const home = await request(t.app).get('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.text)![1];
    expect(href).toMatch(/^\/css\/site\.css\?v=[0-9a-f]{12}$/);
    const css = await request(t.app).get(href).expect(200);
    expect(css.headers['cache-control']).toContain('max-age=31536000');
    expect(css.text).toContain('prefers-color-scheme: dark');
  });

  it('sends security headers and semantic landmarks with a skip link', async () => {
    const res = await request(t.app).get('/');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    for (const tag of ['<header', '<nav', '<main id="content"', '<article', '<footer']) expect(res.text).toContain(tag);
    expect(res.text).toMatch(/<body>\s*<a class="skip-link" href="#content">Skip to content<\/a>/);
  });

  it('speaks Indonesian when the language setting says so, dates included', async () => {
    t.services.settings.update({ language: 'id' });
    const res = await request(t.app).get('/');
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toContain('12 Mei 2016');
    expect(res.text).toContain('Lanjutkan membaca');
  });
});
