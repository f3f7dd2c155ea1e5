/**
 * WXR records → the XML of a WordPress eXtended RSS 1.2 file, in the shape of WordPress's own exporter
 * (wp-admin/includes/export.php), so that its importer and ours read it. Strings go out one record at a time.
 */
import type { WxrAuthor, WxrChannel, WxrComment, WxrItem, WxrRecord, WxrTerm } from './types.js';

export const WXR_VERSION = '1.2';

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE and U+FFFF): dropped, as no parser takes them. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text for an element or an attribute value. */
export const xmlText = (value: string | number) => String(value).replace(NOT_XML, '').replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** A CDATA section; a `]]>` inside is split across two sections, as WordPress does, so it survives a parse. */
export const cdata = (value: string) => `<![CDATA[${value.replace(NOT_XML, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** HTML-escaped once more, as WordPress stores titles and names (`SEO &amp; Sosmed`); importers decode it once. */
export const asHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

const el = (name: string, value: string | number) => `<${name}>${xmlText(value)}</${name}>`;
const cel = (name: string, value: string) => `<${name}>${cdata(value)}</${name}>`;

const NO_DATE = '0000-00-00 00:00:00';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 822, as RSS dates are. */
function rfc822(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** From WordPress's UTC `YYYY-MM-DD HH:MM:SS`; '' for a date never set. */
function pubDateOf(gmt: string): string {
  const time = Date.parse(`${gmt.replace(' ', 'T')}Z`);
  return !gmt || gmt === NO_DATE || Number.isNaN(time) ? '' : rfc822(new Date(time));
}

function channelXml(c: WxrChannel): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file: an export of this blog's posts, pages, comments, categories and tags. -->
<!-- WordPress imports it with Tools → Import → WordPress; this blog with Import in its admin or npm run import. -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/${WXR_VERSION}/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/${WXR_VERSION}/"
>
<channel>
\t${el('title', c.title)}
\t${el('link', c.link)}
\t${el('description', c.description)}
\t${el('pubDate', rfc822(new Date()))}
\t${el('language', c.language)}
\t${el('wp:wxr_version', WXR_VERSION)}
\t${el('wp:base_site_url', c.baseSiteUrl)}
\t${el('wp:base_blog_url', c.baseBlogUrl)}
`;
}

const authorXml = (a: WxrAuthor) =>
  `\t<wp:author>${el('wp:author_id', a.id)}${el('wp:author_login', a.login)}${el('wp:author_email', a.email)}` +
  `${cel('wp:author_display_name', a.displayName)}${cel('wp:author_first_name', a.firstName)}${cel('wp:author_last_name', a.lastName)}</wp:author>\n`;

function termXml(t: WxrTerm): string {
  const description = (name: string) => (t.description ? cel(name, t.description) : '');
  if (t.taxonomy === 'category') {
    return `\t<wp:category>${el('wp:term_id', t.id)}${el('wp:category_nicename', t.slug)}${el('wp:category_parent', t.parentSlug)}` +
      `${cel('wp:cat_name', t.name)}${description('wp:category_description')}</wp:category>\n`;
  }
  if (t.taxonomy === 'post_tag') {
    return `\t<wp:tag>${el('wp:term_id', t.id)}${el('wp:tag_slug', t.slug)}${cel('wp:tag_name', t.name)}${description('wp:tag_description')}</wp:tag>\n`;
  }
  return `\t<wp:term>${el('wp:term_id', t.id)}${el('wp:term_taxonomy', t.taxonomy)}${el('wp:term_slug', t.slug)}` +
    `${el('wp:term_parent', t.parentSlug)}${cel('wp:term_name', t.name)}${description('wp:term_description')}</wp:term>\n`;
}

const metaXml = (tag: 'postmeta' | 'commentmeta', meta: Record<string, string>, indent: string) =>
  Object.entries(meta)
    .map(([key, value]) => `${indent}<wp:${tag}>${el('wp:meta_key', key)}${cel('wp:meta_value', value)}</wp:${tag}>\n`)
    .join('');

const commentXml = (c: WxrComment) => `\t\t<wp:comment>
\t\t\t${el('wp:comment_id', c.id)}
\t\t\t${cel('wp:comment_author', c.author)}
\t\t\t${el('wp:comment_author_email', c.authorEmail)}
\t\t\t${el('wp:comment_author_url', c.authorUrl)}
\t\t\t${el('wp:comment_author_IP', c.authorIp)}
\t\t\t${el('wp:comment_date', c.date)}
\t\t\t${el('wp:comment_date_gmt', c.dateGmt)}
\t\t\t${cel('wp:comment_content', c.content)}
\t\t\t${el('wp:comment_approved', c.approved)}
\t\t\t${el('wp:comment_type', c.type)}
\t\t\t${el('wp:comment_parent', c.parentId)}
\t\t\t${el('wp:comment_user_id', c.userId)}
${metaXml('commentmeta', c.meta, '\t\t\t')}\t\t</wp:comment>
`;

function itemXml(i: WxrItem): string {
  const pubDate = pubDateOf(i.postDateGmt);
  return `\t<item>
\t\t${el('title', i.title)}
\t\t${el('link', i.link)}
${pubDate ? `\t\t${el('pubDate', pubDate)}\n` : ''}\t\t${cel('dc:creator', i.creator)}
\t\t<guid isPermaLink="false">${xmlText(i.guid)}</guid>
\t\t<description></description>
\t\t${cel('content:encoded', i.content)}
\t\t${cel('excerpt:encoded', i.excerpt)}
\t\t${el('wp:post_id', i.id)}
\t\t${el('wp:post_date', i.postDate)}
\t\t${el('wp:post_date_gmt', i.postDateGmt)}
\t\t${el('wp:comment_status', i.commentStatus)}
\t\t${el('wp:ping_status', 'closed')}
\t\t${el('wp:post_name', i.slug)}
\t\t${el('wp:status', i.status)}
\t\t${el('wp:post_parent', i.parentId)}
\t\t${el('wp:menu_order', i.menuOrder)}
\t\t${el('wp:post_type', i.postType)}
\t\t${el('wp:post_password', i.password)}
\t\t${el('wp:is_sticky', i.sticky ? 1 : 0)}
${i.attachmentUrl ? `\t\t${el('wp:attachment_url', i.attachmentUrl)}\n` : ''}${i.terms
    .map((t) => `\t\t<category domain="${xmlText(t.taxonomy)}" nicename="${xmlText(t.slug)}">${cdata(t.name)}</category>\n`)
    .join('')}${metaXml('postmeta', i.meta, '\t\t')}${i.comments.map(commentXml).join('')}\t</item>
`;
}

const RECORD_XML = { channel: channelXml, author: authorXml, term: termXml, item: itemXml } as const;

/** The file, piece by piece: the channel record must come first; the others in the order WordPress writes them. */
export function* wxrXml(records: Iterable<WxrRecord>): Generator<string> {
  let started = false;
  for (const record of records) {
    if (!started && record.kind !== 'channel') throw new Error('A WXR file starts with its channel');
    started = true;
    yield (RECORD_XML[record.kind] as (r: WxrRecord) => string)(record);
  }
  if (started) yield '</channel>\n</rss>\n';
}
