import { createRequire } from 'node:module';
import type { create as Create } from 'xmlbuilder2';

type XMLBuilder = ReturnType<typeof Create>;

/** Loaded by the first feed asked for, not at start-up (a tenth of a second of the server's start). */
const require = createRequire(import.meta.url);
let loaded: typeof Create | undefined;
const xmlbuilder = () => (loaded ??= (require('xmlbuilder2') as { create: typeof Create }).create);

/** A feed as readers see it, the same for RSS and Atom. */
export interface FeedDocument {
  title: string;
  description: string;
  /** The HTML page the feed follows. */
  link: string;
  selfLinks: { rss: string; atom: string };
  language: string;
  updated: Date;
  entries: FeedEntry[];
}

export interface FeedEntry {
  title: string;
  link: string;
  published: Date;
  updated: Date;
  summaryHtml: string;
  /** Empty: the entry has no content element at all (a protected post gives only its summary sentence, as WordPress). */
  contentHtml: string;
  author: string;
  categories: string[];
  /** The post's featured image, its address absolute. */
  image?: FeedImage;
}

export interface FeedImage {
  url: string;
  mime: string;
  width: number | null;
  height: number | null;
}

/**
 * Every string goes in as a text node or an attribute, which the builder escapes (no CDATA to break out of);
 * characters XML 1.0 cannot carry, such as control characters, are dropped rather than written.
 */
const newDocument = () => xmlbuilder()({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });

/**
 * xmlbuilder2 leaves an `&` that starts something shaped like an entity (`&amp;`, `&foo;`) as it is
 * (oozcitak/xmlbuilder2#117), which would decode a post's `&lt;` and let `&foo;` break the document:
 * give it every `&` already escaped, and it escapes `<`, `>` and `"` itself.
 */
const x = (text: string) => text.replace(/&/g, '&amp;');

/** Appends `<name attrs>text</name>` (text optional) and returns the new element. */
function add(parent: XMLBuilder, name: string, text?: string, attrs: Record<string, string> = {}): XMLBuilder {
  const el = parent.ele(name, Object.fromEntries(Object.entries(attrs).map(([key, value]) => [key, x(value)])));
  return text === undefined ? el : el.txt(x(text));
}

/** The optional attributes of an image's element: its type and size when known. */
const imageAttributes = (image: FeedImage): Record<string, string> => ({
  ...(image.mime ? { type: image.mime } : {}),
  ...(image.width && image.height ? { width: String(image.width), height: String(image.height) } : {}),
});

export function rssXml(feed: FeedDocument): string {
  const doc = newDocument();
  const channel = doc
    .ele('rss', {
      version: '2.0',
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      'xmlns:atom': 'http://www.w3.org/2005/Atom',
      'xmlns:media': 'http://search.yahoo.com/mrss/',
    })
    .ele('channel');
  add(channel, 'title', feed.title);
  add(channel, 'link', feed.link);
  add(channel, 'description', feed.description);
  add(channel, 'lastBuildDate', feed.updated.toUTCString());
  add(channel, 'docs', 'https://validator.w3.org/feed/docs/rss2.html');
  add(channel, 'language', feed.language);
  add(channel, 'atom:link', undefined, { href: feed.selfLinks.rss, rel: 'self', type: 'application/rss+xml' });
  for (const entry of feed.entries) {
    const item = add(channel, 'item');
    add(item, 'title', entry.title);
    add(item, 'link', entry.link);
    add(item, 'guid', entry.link, { isPermaLink: 'false' });
    add(item, 'pubDate', entry.published.toUTCString());
    add(item, 'description', entry.summaryHtml);
    if (entry.contentHtml) add(item, 'content:encoded', entry.contentHtml);
    // RSS's <author> is an email address; a name belongs in dc:creator, as WordPress writes it.
    add(item, 'dc:creator', entry.author);
    for (const name of entry.categories) add(item, 'category', name);
    // Media RSS rather than <enclosure>, as Ghost writes it: readers that show a picture per item (Feedly,
    // Inoreader, NetNewsWire) read media:content, while an enclosure is a download (podcast apps fetch it).
    if (entry.image) add(item, 'media:content', undefined, { url: entry.image.url, medium: 'image', ...imageAttributes(entry.image) });
  }
  return doc.end({ prettyPrint: true });
}

export function atomXml(feed: FeedDocument): string {
  const doc = newDocument();
  const root = doc.ele('http://www.w3.org/2005/Atom', 'feed', { 'xml:lang': x(feed.language) });
  add(root, 'id', feed.link);
  add(root, 'title', feed.title);
  add(root, 'updated', feed.updated.toISOString());
  add(root, 'link', undefined, { rel: 'alternate', type: 'text/html', href: feed.link });
  add(root, 'link', undefined, { rel: 'self', type: 'application/atom+xml', href: feed.selfLinks.atom });
  add(root, 'subtitle', feed.description);
  for (const entry of feed.entries) {
    const el = add(root, 'entry');
    // Titles are plain text: type="text" (the default), so no reader takes a title's `<` for markup.
    add(el, 'title', entry.title);
    add(el, 'id', entry.link);
    add(el, 'link', undefined, { rel: 'alternate', type: 'text/html', href: entry.link });
    add(el, 'updated', entry.updated.toISOString());
    add(el, 'published', entry.published.toISOString());
    add(el, 'summary', entry.summaryHtml, { type: 'html' });
    if (entry.contentHtml) add(el, 'content', entry.contentHtml, { type: 'html' });
    add(add(el, 'author'), 'name', entry.author);
    for (const name of entry.categories) add(el, 'category', undefined, { term: name });
    if (entry.image) add(el, 'link', undefined, { rel: 'enclosure', href: entry.image.url, ...(entry.image.mime ? { type: entry.image.mime } : {}) });
  }
  return doc.end({ prettyPrint: true });
}
