import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

describe('the blog\'s author commenting on the blog', () => {
  it('comments under their own name, approved at once, with the session token', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    const { agent } = await adminAgent(t, 'author', 'ayu@example.org');
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logged in as The author.');
    expect(page.text).not.toContain('id="email"');
    const hidden = formFields(page.text);
    expect(hidden._csrf).toBeTruthy();
    clock.advance(10);
    const forged = await agent.post('/comments/').type('form').send({ ...hidden, _csrf: 'nope', comment: 'Terima kasih sudah membaca.' });
    expect(forged.status).toBe(403);
    const res = await agent.post('/comments/').type('form').send({ ...hidden, comment: 'Terima kasih sudah membaca.' });
    expect(res.status).toBe(303);
    const shown = await request(t.app).get(SEED_PATH);
    expect(shown.text).toContain('Terima kasih sudah membaca.');
    expect(shown.text).toMatch(/The author<\/(a|span|b|strong|cite)>/);
  });
});
