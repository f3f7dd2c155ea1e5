import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const SENTENCE = 'There is no excerpt because this is a protected post.';

/** A published post behind a password (stored as the editor and the importer store it), and an open one. */
function posts() {
  const locked = addPost(t, { slug: 'locked', title: 'Locked', markdown: 'Hidden words.', publishedAt: '2024-01-02T03:04:05Z' });
  t.db.prepare('UPDATE posts SET password = ? WHERE id = ?').run('sesame', locked);
  addPost(t, { slug: 'open', title: 'Open', markdown: 'Open words.', publishedAt: '2024-01-01T03:04:05Z' });
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

describe('a protected post in the feeds', () => {
  it('has no content:encoded element in RSS, only WordPress’s sentence as its description', async () => {
    posts();
    const xml = (await request(t.app).get('/feed/').expect(200)).text;
    const [locked, open] = parse(xml).rss.channel.item as Record<string, string>[];
    expect(locked.title).toBe('Protected: Locked');
    expect(locked.description).toBe(SENTENCE);
    expect(locked).not.toHaveProperty('content:encoded');
    expect(open['content:encoded']).toContain('Open words.');
    expect(xml.match(/<content:encoded>/g)).toHaveLength(2); // the open post and the first-run article
  });

  it('has no <content> element in Atom, only WordPress’s sentence as its summary', async () => {
    posts();
    const xml = (await request(t.app).get('/feed/atom/').expect(200)).text;
    const [locked, open] = parse(xml).feed.entry as Record<string, { '#text': string }>[];
    expect(locked.summary['#text']).toBe(SENTENCE);
    expect(locked).not.toHaveProperty('content');
    expect(open.content['#text']).toContain('Open words.');
  });
});
