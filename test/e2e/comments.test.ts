import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { launchChromium, startServer, type RunningServer } from '../support/browser.js';
import { manualClock, submitComment } from '../support/comments.js';

const RESULTS = path.resolve('test-results');

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
  server = await startServer(t.app);
  // A plain browser (not a persistent profile), so one test can open a context without JavaScript.
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

/** Fills the form as a reader who took their time (the form refuses instant posts, and floods). */
async function postComment(page: Page, fields: { comment: string; author: string; email: string }) {
  clock.advance(30);
  await page.getByRole('textbox', { name: /^Comment/ }).fill(fields.comment);
  await page.getByRole('textbox', { name: /^Name/ }).fill(fields.author);
  await page.getByRole('textbox', { name: /^Email/ }).fill(fields.email);
  await Promise.all([
    page.waitForURL(/#comment-\d+$/),
    page.getByRole('button', { name: 'Post Comment' }).click(),
  ]);
  return Number(new URL(page.url()).hash.replace('#comment-', ''));
}

describe('comment form in Chromium', () => {
  it('posts a comment, then replies in place after Reply moves the form under the comment', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) problems.push(message.text());
    });
    await page.goto(`${server.url}${SEED_PATH}`);

    const parentId = await postComment(page, { comment: 'Tulisan yang bagus sekali.', author: 'Ani', email: 'ani@example.org' });
    expect(new URL(page.url()).pathname).toBe(SEED_PATH);
    const parent = page.locator(`li#comment-${parentId}`);
    await expect(parent.locator('.comment-content').textContent()).resolves.toContain('Tulisan yang bagus sekali.');

    const before = page.url();
    await parent.getByRole('link', { name: 'Reply: Ani' }).click();
    expect(page.url()).toBe(before);
    await expect(page.locator(`li#comment-${parentId} > #respond`).count()).resolves.toBe(1);
    await expect(page.locator('#parent_id').inputValue()).resolves.toBe(String(parentId));
    await expect(page.locator('#reply-title').textContent()).resolves.toContain('Leave a Reply to Ani');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('comment');
    await expect(page.getByRole('link', { name: 'Cancel reply' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(RESULTS, 'comment-js.png'), fullPage: true });

    const replyId = await postComment(page, { comment: 'Terima kasih, Ani!', author: 'Budi', email: 'budi@example.org' });
    const reply = page.locator(`li#comment-${parentId} > ol.children > li#comment-${replyId}`);
    await expect(reply.locator('.comment-content').textContent()).resolves.toContain('Terima kasih, Ani!');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('puts the form back and forgets the parent on Cancel reply', async () => {
    clock.advance(20);
    const posted = await submitComment(t, clock, { author: 'Eko', email: 'eko@example.org', comment: 'Setuju sekali.' });
    const parentId = Number(/#comment-(\d+)$/.exec(posted.headers.location)![1]);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}${SEED_PATH}`);
    await page.locator(`li#comment-${parentId}`).getByRole('link', { name: 'Reply: Eko' }).click();
    await expect(page.locator(`li#comment-${parentId} > #respond`).count()).resolves.toBe(1);

    await page.getByRole('link', { name: 'Cancel reply' }).click();
    await expect(page.locator('li.comment #respond').count()).resolves.toBe(0);
    await expect(page.locator('#comments > #respond').count()).resolves.toBe(1);
    await expect(page.locator('#parent_id').inputValue()).resolves.toBe('0');
    await expect(page.locator('#reply-title').textContent()).resolves.not.toContain('Reply to');
    await expect(page.getByRole('link', { name: 'Cancel reply' }).isVisible()).resolves.toBe(false);
    await context.close();
  });

  it('replies through the ?replytocom= link when JavaScript is off', async () => {
    clock.advance(20);
    const posted = await submitComment(t, clock, { author: 'Citra', email: 'citra@example.org', comment: 'Saya juga setuju.' });
    const parentId = Number(/#comment-(\d+)$/.exec(posted.headers.location)![1]);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}${SEED_PATH}`);
    await Promise.all([
      page.waitForURL(/\?replytocom=\d+#respond$/),
      page.locator(`li#comment-${parentId}`).getByRole('link', { name: 'Reply: Citra' }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('replytocom')).toBe(String(parentId));
    await expect(page.locator('#reply-title').textContent()).resolves.toContain('Leave a Reply to Citra');
    await expect(page.locator('#parent_id').inputValue()).resolves.toBe(String(parentId));

    const replyId = await postComment(page, { comment: 'Tanpa JavaScript pun bisa.', author: 'Dewi', email: 'dewi@example.org' });
    const reply = page.locator(`li#comment-${parentId} > ol.children > li#comment-${replyId}`);
    await expect(reply.locator('.comment-content').textContent()).resolves.toContain('Tanpa JavaScript pun bisa.');
    await page.locator(`#comment-${replyId}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, 'comment-nojs.png'), fullPage: true });
    await context.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`opens a form shown again with a mistake on the mistake, not at the top of the page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 800, height: 600 } });
      const page = await context.newPage();
      await page.goto(`${server.url}${SEED_PATH}`);
      clock.advance(30);
      // A name and email but no comment: the server names the empty comment.
      await page.getByRole('textbox', { name: /^Name/ }).fill('Eka');
      await page.getByRole('textbox', { name: /^Email/ }).fill('eka@example.org');
      await Promise.all([page.waitForURL(/\/comments\/$/), page.getByRole('button', { name: 'Post Comment' }).click()]);
      await expect(page.locator('#comment-error').textContent()).resolves.toBeTruthy();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('comment');
      await expect(page.locator('#comment').isVisible()).resolves.toBe(true);
      const box = (await page.locator('#comment').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(600);
      // What was typed is still there.
      await expect(page.getByRole('textbox', { name: /^Name/ }).inputValue()).resolves.toBe('Eka');
      await context.close();
    });
  }
});
