import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';
import { manualClock } from '../support/comments.js';
import { PNG } from '../fixtures/images.js';

const RESULTS = path.resolve('test-results');

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  createAccount(t, 'administrator', 'ayu@example.org', 'Ayu Lestari');
  server = await startServer(t.app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

/** Collects script errors and CSP refusals, which a user would meet as a page that silently does nothing. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  return problems;
}

describe('the author in Chromium', () => {
  it('logs in, writes and previews a Markdown post, publishes it, and approves a reader\'s comment', async () => {
    // A first-time reader comments; the blog holds it for moderation.
    const reader = await browser.newContext();
    const readerPage = await reader.newPage();
    await readerPage.goto(`${server.url}${SEED_PATH}`);
    clock.advance(30);
    await readerPage.getByRole('textbox', { name: /^Comment/ }).fill('Artikel yang sangat membantu, terima kasih!');
    await readerPage.getByRole('textbox', { name: /^Name/ }).fill('Rina');
    await readerPage.getByRole('textbox', { name: /^Email/ }).fill('rina@example.org');
    await Promise.all([readerPage.waitForURL(/#comment-\d+$/), readerPage.getByRole('button', { name: 'Post Comment' }).click()]);
    await expect(readerPage.locator('.comment-list .awaiting').count()).resolves.toBeGreaterThan(0);

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);

    await page.goto(`${server.url}/admin/`);
    expect(new URL(page.url()).pathname).toBe('/admin/login/');
    await submitLogin(page, 'ayu@example.org');
    await expect(page.getByRole('heading', { name: 'Dashboard' }).count()).resolves.toBe(1);

    await page.getByRole('link', { name: 'Posts', exact: true }).click();
    await page.getByRole('link', { name: 'Add new' }).click();
    await page.getByLabel('Title').fill('Belajar Menulis di Blog');
    const markdown = '## Langkah pertama\n\nBaca [panduan menulis](https://example.org/panduan) dulu.';
    await page.getByLabel('Text (Markdown)').fill(markdown);

    // With JavaScript the preview follows the typing…
    const live = page.locator('#preview .preview-body');
    await expect(live.locator('h2').textContent({ timeout: 5000 })).resolves.toBe('Langkah pertama');
    // …and the Preview button renders it on the server, keeping everything typed.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Preview' }).click()]);
    await page.waitForSelector('#preview:not([hidden]) h2');
    await expect(page.locator('#preview a').getAttribute('href')).resolves.toBe('https://example.org/panduan');
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Belajar Menulis di Blog');
    await expect(page.getByLabel('Text (Markdown)').inputValue()).resolves.toBe(markdown);
    await page.screenshot({ path: path.join(RESULTS, 'admin-editor-preview.png'), fullPage: true });

    await Promise.all([page.waitForURL(/done=published/), page.getByRole('button', { name: 'Publish', exact: true }).click()]);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Post published.');

    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Belajar Menulis di Blog' }).first().click()]);
    await expect(page.locator('.entry-content h2').textContent()).resolves.toBe('Langkah pertama');
    await expect(page.getByRole('link', { name: 'panduan menulis' }).getAttribute('href')).resolves.toBe('https://example.org/panduan');

    // The held comment waits on the Comments screen; one click approves it.
    await page.goto(`${server.url}/admin/comments/?status=pending`);
    const row = page.locator('tr', { hasText: 'Artikel yang sangat membantu' });
    await Promise.all([page.waitForLoadState('load'), row.getByRole('button', { name: 'Approve' }).click()]);
    await page.screenshot({ path: path.join(RESULTS, 'admin-comments.png'), fullPage: true });

    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(`${server.url}${SEED_PATH}`);
    await expect(strangerPage.locator('.comment-list').textContent()).resolves.toContain('Artikel yang sangat membantu, terima kasih!');
    expect(problems).toEqual([]);
    await Promise.all([reader.close(), context.close(), stranger.close()]);
  });

  it('works without JavaScript: Preview renders on the server, bulk trash and uploads are plain forms', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/login/`);
    await submitLogin(page, 'ayu@example.org');

    await page.goto(`${server.url}/admin/posts/new/`);
    await page.getByLabel('Title').fill('Tanpa JavaScript');
    await page.getByLabel('Text (Markdown)').fill('### Tetap jalan\n\nTanpa *skrip*.');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Preview' }).click()]);
    await expect(page.locator('#preview h3').textContent()).resolves.toBe('Tetap jalan');
    await Promise.all([page.waitForURL(/done=saved/), page.getByRole('button', { name: 'Save draft' }).click()]);

    await page.goto(`${server.url}/admin/posts/?status=draft`);
    await page.getByRole('checkbox', { name: 'Select “Tanpa JavaScript”' }).check();
    await page.getByLabel('Bulk action').selectOption('trash');
    await Promise.all([page.waitForURL(/done=trashed/), page.getByRole('button', { name: 'Apply' }).click()]);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Moved to the Trash.');

    await page.goto(`${server.url}/admin/media/`);
    await page.locator('input[type="file"]').setInputFiles({ name: 'pemandangan.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(/uploaded=\d+/), page.getByRole('button', { name: /Upload/ }).click()]);
    const markdown = await page.locator('input[readonly]').first().inputValue();
    expect(markdown).toMatch(/^!\[pemandangan\]\(\/uploads\/[0-9a-f]{32}\.png\)$/);
    const image = await page.request.get(`${server.url}${/\((.*)\)/.exec(markdown)![1]}`);
    expect(image.headers()['content-type']).toBe('image/png');
    await page.screenshot({ path: path.join(RESULTS, 'admin-media.png'), fullPage: true });
    await context.close();
  });
});
