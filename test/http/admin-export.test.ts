import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAgent, RAW_KEY } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';
import { buildExportBlog, parseWxr } from '../support/wxr-export-blog.js';

const clock = manualClock('2024-06-01T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = makeTestApp({ now: clock.now, seed: false });
  await buildExportBlog(t, clock);
});
afterAll(() => t?.close());

describe('/admin/export/', () => {
  it('sends an anonymous visitor to the login and refuses an anonymous download', async () => {
    const page = await request(t.app).get('/admin/export/');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/admin/login/?next=%2Fadmin%2Fexport%2F');
    const download = await request(t.app).post('/admin/export/');
    expect(download.status).toBe(403);
    expect(download.headers['content-disposition']).toBeUndefined();
    expect(download.text).not.toContain('<rss');
  });

  it('refuses an author the screen, the download and the menu link', async () => {
    const { agent, csrf } = await adminAgent(t, 'author', 'writer@example.org');
    expect((await agent.get('/admin/export/')).status).toBe(403);
    const download = await agent.post('/admin/export/').type('form').send({ _csrf: csrf });
    expect(download.status).toBe(403);
    expect(download.text).not.toContain('<rss');
    expect((await agent.get('/admin/')).text).not.toContain('href="/admin/export/"');
  });

  it('shows an administrator the Export screen in the site language, linked from the menu', async () => {
    const { agent } = await adminAgent(t, 'administrator', 'boss@example.org');
    expect((await agent.get('/admin/')).text).toContain('<a href="/admin/export/">Ekspor</a>');
    const page = await agent.get('/admin/export/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Unduh Berkas Ekspor');
    expect(page.text).toContain('<code>npm run -s export &gt; blog.xml</code>');
    expect(page.text).not.toMatch(RAW_KEY);
  });

  it('downloads the whole blog as a private WXR attachment named after the site and the day', async () => {
    const { agent, csrf } = await adminAgent(t, 'administrator', 'chief@example.org');
    const res = await agent.post('/admin/export/').type('form').send({ _csrf: csrf }).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    });
    expect(res.status).toBe(200);
    // 10:00 UTC is 17:00 in Jakarta, the blog's zone: still the 1st of June there.
    expect(res.headers['content-disposition']).toBe('attachment; filename="blog-and-co-2024-06-01.xml"');
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const wxr = parseWxr(res.body as string);
    expect(wxr.channel.title).toBe('Blog & Co');
    expect(wxr.item('markdown-post')['wp:comment']).toHaveLength(6);
    expect(wxr.item('secret')['wp:post_password']).toBe('open sesame');
    // The same document the command line writes (the channel's own date aside: the moment of writing).
    const undated = (xml: string) => xml.replace(/<pubDate>[^<]*<\/pubDate>/, '');
    expect(undated(res.body as string)).toBe(undated([...t.services.wxrExport.document()].join('')));
  });

  it('refuses a download without the session token', async () => {
    const { agent } = await adminAgent(t, 'administrator', 'forged@example.org');
    const res = await agent.post('/admin/export/').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('<rss');
  });
});
