import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

describe('dashboard', () => {
  it('shows counts of posts, drafts and pending comments, and the latest pending comments', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    addPost(t, { slug: 'kedua', publishedAt: '2026-01-02T10:00:00Z' });
    addPost(t, { slug: 'draf-satu', status: 'draft' });
    await submitComment(t, clock, { comment: 'Menunggu moderasi dulu ya.', email: 'baru@example.org' });
    clock.advance(60);
    await submitComment(t, clock, { comment: 'Komentar kedua yang tertahan.', email: 'lain@example.org', author: 'Budi' });
    const { agent } = await adminAgent(t);
    const page = await agent.get('/admin/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('2 published posts');
    expect(page.text).toContain('1 draft<');
    expect(page.text).toContain('2 comments awaiting moderation');
    expect(page.text).toContain('Menunggu moderasi dulu ya.');
    expect(page.text.indexOf('Komentar kedua')).toBeLessThan(page.text.indexOf('Menunggu moderasi'));
  });

  it('shows an author only their own posts and the comments on them', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    await submitComment(t, clock, { comment: 'Di tulisan orang lain.', email: 'baru@example.org' });
    const { agent } = await adminAgent(t, 'author');
    const page = await agent.get('/admin/');
    expect(page.text).toContain('0 published posts');
    expect(page.text).toContain('0 comments awaiting moderation');
    expect(page.text).not.toContain('Di tulisan orang lain.');
    expect(page.text).not.toContain('href="/admin/settings/"');
  });
});
