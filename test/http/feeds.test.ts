import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const asArray = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

describe('GET /feed/', () => {
  it('is RSS 2.0 with absolute links, RFC 822 dates and the full content', async () => {
    addPost(t, { slug: 'with-image', title: 'With an image', markdown: '![pic](/uploads/pic.png) and [a link](/about/)', publishedAt: '2020-01-02T03:04:05Z' });
    const res = await request(t.app).get('/feed/').expect(200);
    expect(res.type).toBe('application/rss+xml');
    const channel = parse(res.text).rss.channel;
    expect(channel.title).toBe('IMers Blog');
    expect(channel.link).toBe('http://blog.test/');
    const items = asArray(channel.item);
    expect(items.map((i: { title: string }) => i.title)).toEqual(['With an image', 'Trend life style: menjadi pasangan\u00a0IMers']);
    const seedItem = items[1];
    expect(seedItem.link).toBe(`http://blog.test${SEED_PATH}`);
    expect(seedItem.pubDate).toBe('Thu, 12 May 2016 03:00:00 GMT');
    expect(seedItem['content:encoded']).toContain('<h2>Apa itu IMers?</h2>');
    expect(seedItem['content:encoded']).toContain('saja😀');
    expect(items[0]['content:encoded']).toContain('src="http://blog.test/uploads/pic.png"');
    expect(items[0]['content:encoded']).toContain('href="http://blog.test/about/"');
  });

  it('leaves out drafts', async () => {
    addPost(t, { slug: 'secret', title: 'Secret draft', status: 'draft' });
    expect((await request(t.app).get('/feed/')).text).not.toContain('Secret draft');
  });
});

describe('GET /feed/atom/', () => {
  it('is an Atom feed with absolute ids, links and ISO dates', async () => {
    const res = await request(t.app).get('/feed/atom/').expect(200);
    expect(res.type).toBe('application/atom+xml');
    const feed = parse(res.text).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entry = asArray(feed.entry)[0];
    expect(entry.id).toBe(`http://blog.test${SEED_PATH}`);
    expect(entry.published).toBe('2016-05-12T03:00:00.000Z');
    expect(entry.content['#text']).toContain('*Newbie IM');
  });
});

describe('category and tag feeds', () => {
  it('carry only their own posts', async () => {
    addPost(t, { slug: 'unrelated', title: 'Unrelated', categories: [{ slug: 'misc', name: 'Misc' }] });
    for (const path of ['/category/life-style/feed/', '/tag/imers/feed/', '/category/life-style/feed/atom/']) {
      const res = await request(t.app).get(path).expect(200);
      parse(res.text);
      expect(res.text).toContain('menjadi pasangan');
      expect(res.text).not.toContain('Unrelated');
    }
    const misc = parse((await request(t.app).get('/category/misc/feed/')).text);
    expect(asArray(misc.rss.channel.item).map((i: { title: string }) => i.title)).toEqual(['Unrelated']);
  });

  it('are advertised in the archive’s <head>, and an unknown term’s feed is 404', async () => {
    const page = await request(t.app).get('/tag/imers/');
    expect(page.text).toContain('<link rel="alternate" type="application/rss+xml" title="IMers Blog » IMers Feed" href="http://blog.test/tag/imers/feed/">');
    await request(t.app).get('/tag/nope/feed/').expect(404);
  });
});

describe('autodiscovery', () => {
  it('links the site feeds from every page head', async () => {
    const res = await request(t.app).get(SEED_PATH);
    expect(res.text).toContain('<link rel="alternate" type="application/rss+xml" title="IMers Blog » Feed" href="http://blog.test/feed/">');
    expect(res.text).toContain('<link rel="alternate" type="application/atom+xml" title="IMers Blog » Atom Feed" href="http://blog.test/feed/atom/">');
  });
});

describe('GET /sitemap.xml and /robots.txt', () => {
  it('lists the home page, posts and pages with absolute URLs', async () => {
    addPost(t, { type: 'page', slug: 'about', title: 'About' });
    addPost(t, { slug: 'hidden', status: 'draft' });
    const res = await request(t.app).get('/sitemap.xml').expect(200);
    expect(res.type).toBe('application/xml');
    const urls = asArray(parse(res.text).urlset.url).map((u: { loc: string }) => u.loc);
    expect(urls).toEqual(expect.arrayContaining(['http://blog.test/', `http://blog.test${SEED_PATH}`, 'http://blog.test/about/']));
    expect(urls.join()).not.toContain('hidden');
  });

  it('points robots at the sitemap', async () => {
    const res = await request(t.app).get('/robots.txt').expect(200);
    expect(res.text).toContain('Sitemap: http://blog.test/sitemap.xml');
  });
});

describe('SEO on a post page', () => {
  it('has a canonical link, description, Open Graph, Twitter card and JSON-LD BlogPosting', async () => {
    const res = await request(t.app).get(SEED_PATH);
    expect(res.text).toContain(`<link rel="canonical" href="http://blog.test${SEED_PATH}">`);
    expect(res.text).toMatch(/<meta name="description" content="Sepertinya ini telah menjadi[^"]*…">/);
    expect(res.text).toContain('<meta property="og:type" content="article">');
    expect(res.text).toContain(`<meta property="og:url" content="http://blog.test${SEED_PATH}">`);
    expect(res.text).toContain('<meta name="twitter:card" content="summary">');
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.text)![1];
    const ld = JSON.parse(json);
    expect(ld['@type']).toBe('BlogPosting');
    expect(ld.datePublished).toBe('2016-05-12T03:00:00.000Z');
    expect(ld.author.name).toBe('Newbie IM');
    expect(ld.inLanguage).toBe('id');
  });

  it('cannot be broken out of the JSON-LD block by a title', async () => {
    addPost(t, { slug: 'evil', title: '</script><script>alert(1)</script>', publishedAt: '2020-01-01T00:00:00Z' });
    const res = await request(t.app).get('/2020/01/01/evil/').expect(200);
    expect(res.text).not.toContain('<script>alert(1)');
  });
});
