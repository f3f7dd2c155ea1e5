import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

describe('a post saved with tag soup', () => {
  it('is served as the tree a browser builds from it, not as the soup', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const saved = await agent.post('/admin/posts/new/').type('form').send(editor({
      _csrf: csrf, title: 'Soup', status: 'published', markdown: '<p><li><table><li></li>a<a>a</a></table></li></p>',
    }));
    expect(saved.status).toBe(303);
    const permalink = /Permalink: <a href="([^"]+)"/.exec((await agent.get(saved.headers.location)).text)![1];
    const page = await request(t.app).get(permalink).expect(200);
    const content = /<div class="entry-content">\n([\s\S]*?)\n {2}<\/div>/.exec(page.text)![1];
    expect(content).toBe('<p></p><li></li><li></li>a<a>a</a><table></table><p></p>');
  });
});

describe('a comment with nested links', () => {
  it('is shown as the two links a browser makes of it', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const agent = request.agent(t.app);
    const res = await submitComment(t, clock, { comment: '<a href="https://a.example/">x<a href="https://b.example/">y</a></a>' }, { agent });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location.replace(/#.*/, '')).expect(200);
    expect(page.text).toContain(
      '<div class="comment-content"><p><a href="https://a.example/" rel="nofollow ugc">x</a><a href="https://b.example/" rel="nofollow ugc">y</a></p></div>',
    );
  });
});
