import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The server's clock (the browser keeps its own): "future" in the editor is after this.
  t = makeTestApp({ now: manualClock('2026-06-01T10:00:00Z').now });
  createAccount(t, 'author', 'dewi@example.org', 'Dewi');
  server = await startServer(t.app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

/** A new author, logged in, on a blank editor; script errors are collected, as a user meets them as dead buttons. */
async function newPost() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${server.url}/admin/login/`);
  await submitLogin(page, 'dewi@example.org');
  await page.goto(`${server.url}/admin/posts/new/`);
  return { page, problems, close: () => context.close() };
}

/** Every dialog the page opens, by type; each is dismissed (Stay on the page) unless `accept` says otherwise. */
function dialogs(page: Page, accept = false) {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(dialog.type());
    void (accept ? dialog.accept() : dialog.dismiss());
  });
  return seen;
}

const primary = (page: Page) => page.locator('#publish-button');

describe('publishing from the editor in Chromium', () => {
  it('publishes a new author’s post with the Publish button, and the home page shows it', async () => {
    const { page, problems, close } = await newPost();
    const seen = dialogs(page);
    await page.getByLabel('Title').fill('Catatan pertama Dewi');
    // Enter in the title moves on to the text; it does not publish a post with no text yet.
    await page.getByLabel('Title').press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('markdown');
    expect(new URL(page.url()).pathname).toBe('/admin/posts/new/');
    await page.keyboard.type('Halo, ini tulisan pertama saya.');
    await expect(primary(page).textContent()).resolves.toBe('Publish');
    await Promise.all([page.waitForURL(/done=published$/), page.getByRole('button', { name: 'Publish', exact: true }).click()]);
    // Submitting the form is the way out that does not ask.
    expect(seen).toEqual([]);
    await expect(page.locator('p.notice[role="status"]').textContent()).resolves.toBe('Post published. View post');
    await expect(primary(page).textContent()).resolves.toBe('Update');

    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'View post' }).click()]);
    await expect(page.locator('.entry-content').textContent()).resolves.toContain('Halo, ini tulisan pertama saya.');
    await page.goto(`${server.url}/`);
    await expect(page.getByRole('link', { name: 'Catatan pertama Dewi' }).count()).resolves.toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('turns Publish into Schedule as a future date is typed, and schedules the post with it', async () => {
    const { page, problems, close } = await newPost();
    await page.getByLabel('Title').fill('Untuk besok');
    const date = page.getByLabel(/^Publish on/);
    await date.fill('2026-06-02T08:00');
    await expect(primary(page).textContent()).resolves.toBe('Schedule');
    await date.fill('2026-05-01T08:00');
    await expect(primary(page).textContent()).resolves.toBe('Publish');
    await date.fill('2026-06-02T08:00');
    await Promise.all([page.waitForURL(/done=scheduled$/), primary(page).click()]);
    await expect(page.locator('p.notice[role="status"]').textContent()).resolves.toMatch(/^Post scheduled for June 2, 2026(,| at) 8:00\sAM\. Preview$/);
    await expect(page.locator('.publish-status').textContent()).resolves.toMatch(/^Status: Scheduled for June 2, 2026/);
    expect(problems).toEqual([]);
    await close();
  });

  it('asks before leaving with unsaved text (a menu link, closing the tab), and not before', async () => {
    const { page, problems, close } = await newPost();
    const seen = dialogs(page);
    // Nothing typed yet: a menu link leaves at once.
    await Promise.all([page.waitForURL(/\/admin\/posts\/$/), page.getByRole('link', { name: 'Posts', exact: true }).click()]);
    expect(seen).toEqual([]);

    await page.goto(`${server.url}/admin/posts/new/`);
    await page.getByLabel('Text (Markdown)').fill('Kalimat yang belum disimpan.');
    await page.getByRole('link', { name: 'Posts', exact: true }).click();
    await expect.poll(() => seen).toEqual(['beforeunload']);
    // Dismissed: the author stays, with the text.
    expect(new URL(page.url()).pathname).toBe('/admin/posts/new/');
    await expect(page.getByLabel('Text (Markdown)').inputValue()).resolves.toBe('Kalimat yang belum disimpan.');

    await page.close({ runBeforeUnload: true });
    await expect.poll(() => seen).toEqual(['beforeunload', 'beforeunload']);
    expect(page.isClosed()).toBe(false);
    expect(problems).toEqual([]);
    await close();
  });
});
