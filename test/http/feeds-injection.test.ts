import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

// Two `]]>`: the first used to be split inside CDATA, the second closed it, and the rest was read as XML.
const FORGED = ']]></title></item><item><title>Forged</title><link>https://evil.example/</link></item><item><title><![CDATA[';
// Entity-shaped text (`&lt;`, `&foo;`, `&#1;`) is text too: decoded it would change the title or break the XML.
const TITLE = `Tom & Jerry <3 &lt;b&gt; &foo; &#1; ]]> ${FORGED} end\u0001\u001b`;
const AUTHOR = 'Eve ]]> ]]> <admin> & co &amp;\u0002';
const CATEGORY = 'Tips ]]> & ]]> <tricks>';
const SITE_TITLE = 'Blog ]]> & ]]> <x>';
const TAGLINE = 'Notes ]]></description><item><title>Tagline item</title></item><description>\u0007';
const MARKDOWN = 'Body ]]> and ]]> a < b & c\u0003 end';
const BODY_HTML = '<p>Body ]]&gt; and ]]&gt; a &lt; b &amp; c end</p>';

/** What XML can carry of a text: the same characters without the C0 controls other than tab and newlines. */
const xmlSafe = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false });
const asArray = <T>(v: T | T[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

function addHostilePost() {
  expect(t.services.settings.update({ title: SITE_TITLE, tagline: TAGLINE }).errors).toBeUndefined();
  const author = createAccount(t, 'author', 'eve@example.org', AUTHOR);
  addPost(t, {
    slug: 'hostile', title: TITLE, markdown: MARKDOWN, authorId: author.id, publishedAt: '2030-01-01T00:00:00Z',
    categories: [{ slug: 'tips', name: CATEGORY }],
  });
}

describe('feeds with hostile text', () => {
  it('RSS: a title, body, author, category or site title with `]]>`, `<`, `&` and control characters stays text', async () => {
    addHostilePost();
    const channel = parse((await request(t.app).get('/feed/').expect(200)).text).rss.channel;
    expect(channel.title).toBe(xmlSafe(SITE_TITLE));
    expect(channel.description).toBe(xmlSafe(TAGLINE));
    const items = asArray(channel.item);
    expect(items).toHaveLength(2); // the hostile post and the seeded one: nothing forged
    expect(items.map((i) => i.link)).not.toContain('https://evil.example/');
    const [item] = items;
    expect(item.title).toBe(xmlSafe(TITLE));
    expect(item['dc:creator']).toBe(xmlSafe(AUTHOR));
    expect(item.category).toBe(CATEGORY);
    expect(item['content:encoded'].trim()).toBe(BODY_HTML);
    expect(item.link).toBe('http://blog.test/2030/01/01/hostile/');
  });

  it('Atom: the same text comes back as text, the title as plain text', async () => {
    addHostilePost();
    const feed = parse((await request(t.app).get('/feed/atom/').expect(200)).text).feed;
    expect(feed.title).toBe(xmlSafe(SITE_TITLE));
    expect(feed.subtitle).toBe(xmlSafe(TAGLINE));
    const entries = asArray(feed.entry);
    expect(entries).toHaveLength(2);
    const [entry] = entries;
    expect(entry.title).toBe(xmlSafe(TITLE));
    expect(entry.title['@type']).toBeUndefined();
    expect(entry.author.name).toBe(xmlSafe(AUTHOR));
    expect(entry.category['@term']).toBe(CATEGORY);
    expect(entry.content['@type']).toBe('html');
    expect(entry.content['#text'].trim()).toBe(BODY_HTML);
    expect(entry.id).toBe('http://blog.test/2030/01/01/hostile/');
  });

  it('the category feed of a hostile category name is well-formed, titled with the name', async () => {
    addHostilePost();
    for (const path of ['/category/tips/feed/', '/category/tips/feed/atom/']) {
      const doc = parse((await request(t.app).get(path).expect(200)).text);
      const title = doc.rss ? doc.rss.channel.title : doc.feed.title;
      expect(title).toBe(`${xmlSafe(SITE_TITLE)} » ${CATEGORY}`);
      expect(asArray(doc.rss ? doc.rss.channel.item : doc.feed.entry)).toHaveLength(1);
    }
  });
});
