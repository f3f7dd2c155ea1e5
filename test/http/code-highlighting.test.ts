import { defaultTreeAdapter, html, parseFragment, serialize } from 'parse5';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizePostHtml } from '../../src/services/markdown.js';
import { adminAgent, editor } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const CODE_POST = 'Contoh:\n\n```js\nconst salam = "Halo";\nconsole.log(salam);\n```\n\nA <span class="hljs-keyword">loud</span> word.';
const HOSTILE_POST = '```"><script>alert(1)</script>\n<img src=x onerror=alert(2)></code></pre><script>alert(3)</script>\n```\n\n'
  + '```js" onmouseover="alert(4)\nlet x = 1;\n```';

/** Saves and publishes a post through the admin editor; returns its public address. */
async function publish(markdown: string) {
  const { agent, csrf } = await adminAgent(t);
  const res = await agent.post('/admin/posts/new/').type('form')
    .send(editor({ _csrf: csrf, title: 'Kode', markdown, intent: 'publish', status: 'published' }));
  expect(res.status).toBe(303);
  const edit = await agent.get(res.headers.location);
  return { agent, csrf, edit, permalink: /Permalink: <a href="([^"]+)"/.exec(edit.text)![1] };
}

/** What a browser makes of stored HTML placed in a page's body (as test/unit/html-fixed-point.test.ts reads it). */
const browserReading = (stored: string) => serialize(parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), stored, {}));

describe('code highlighted when a post is saved', () => {
  it('shows highlight.js markup in a focusable block on the public page, with the code stylesheet', async () => {
    t = makeTestApp();
    const { permalink } = await publish(CODE_POST);
    const page = await request(t.app).get(permalink).expect(200);
    expect(page.text).toContain('<pre tabindex="0"><code class="hljs language-js"><span class="hljs-keyword">const</span> salam = '
      + '<span class="hljs-string">"Halo"</span>;\n<span class="hljs-variable language_">console</span>.<span class="hljs-title function_">log</span>(salam);');
    expect(page.text).toMatch(/<link rel="stylesheet" href="\/css\/code\.css\?v=\w+">/);
    // The highlighting classes are kept inside code only: an author's span in a paragraph loses them.
    expect(page.text).toContain('A <span>loud</span> word.');
  });

  it('shows the same markup and stylesheet in the admin preview, the Preview button’s and the live one', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const preview = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, intent: 'preview', title: 'Kode', markdown: CODE_POST }));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('<div class="preview-body entry-content">');
    expect(preview.text).toContain('<pre tabindex="0"><code class="hljs language-js"><span class="hljs-keyword">const</span>');
    expect(preview.text).toMatch(/<link rel="stylesheet" href="\/css\/code\.css\?v=\w+">/);
    const live = await agent.post('/admin/preview/').type('form').send({ _csrf: csrf, markdown: CODE_POST });
    expect(live.body.html).toContain('<span class="hljs-title function_">log</span>');
  });

  it('stores HTML a browser reads back unchanged (a fixed point of the sanitizer and the parser)', async () => {
    t = makeTestApp();
    await publish(CODE_POST);
    const { bodyHtml } = t.db.prepare("SELECT body_html AS bodyHtml FROM posts WHERE title = 'Kode'").get() as { bodyHtml: string };
    expect(bodyHtml).toContain('hljs-keyword');
    const reading = browserReading(bodyHtml);
    expect(sanitizePostHtml(reading)).toBe(bodyHtml);
    expect(browserReading(reading)).toBe(reading);
  });

  it('keeps a hostile info string and hostile code inert: plain text in a plain block', async () => {
    t = makeTestApp();
    const { permalink } = await publish(HOSTILE_POST);
    const page = await request(t.app).get(permalink).expect(200);
    const body = page.text.slice(page.text.indexOf('<main'));
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/<img[^>]*onerror/i);
    expect(body).not.toMatch(/ on\w+="/i);
    expect(body).toContain('<pre tabindex="0"><code>&lt;img src=x onerror=alert(2)&gt;&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;\n</code></pre>');
    expect(body).toContain('<pre tabindex="0"><code>let x = 1;\n</code></pre>');
  });
});
