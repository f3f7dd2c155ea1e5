import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';

const RESULTS = path.resolve('test-results');
const CORNERS = path.resolve('test/fixtures/wxr/corners.wxr.xml');
const ADMIN_EMAIL = 'ayu@example.org';

let browser: Browser;
/** Each test's own blog and server, closed after it. */
let t: TestApp | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await server?.close();
  t?.close();
  server = t = undefined;
});

/** A fresh blog with an administrator, served on 127.0.0.1. */
async function openBlog() {
  t = makeTestApp();
  createAccount(t, 'administrator', ADMIN_EMAIL, 'Ayu Lestari');
  server = await startServer(t.app);
  return { t, url: server.url };
}

async function logIn(page: Page, url: string) {
  await page.goto(`${url}/admin/login/`);
  await submitLogin(page, ADMIN_EMAIL);
}

/**
 * Collects script errors, CSP refusals and failed requests, which a user would meet as a page that silently does
 * nothing or shows a hole. Chromium's console line for a failed request names no address, so the responses are
 * watched instead (which also leaves out the browser's own /favicon.ico request: the blog has none).
 */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${new URL(res.url()).pathname}`);
  });
  return problems;
}

/** The number in the summary table's "Imported" column for one kind. */
const imported = (page: Page, kind: string) => page.locator('table tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${kind}$`) }) }).locator('td').first().textContent();

describe('moving a WordPress blog in, in Chromium', () => {
  it('imports an export from Tools → Import without JavaScript: the page refreshes itself until the summary shows', async () => {
    const { url } = await openBlog();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, url);

    // Every load of the progress page. The corners file takes some 50 ms to import and the browser follows the
    // redirect within a few, so the first load finds the import running; the test never navigates again, so any later
    // load is the page refreshing itself (no script runs here).
    const progressPages: Promise<string>[] = [];
    page.on('response', (res) => {
      if (/^\/admin\/import\/[\w-]+\/$/.test(new URL(res.url()).pathname)) progressPages.push(res.text());
    });

    await page.goto(`${url}/admin/import/`);
    await page.getByLabel('WordPress export file (.xml or .zip)').setInputFiles(CORNERS);
    await Promise.all([page.waitForURL(/\/admin\/import\/[\w-]+\/$/), page.getByRole('button', { name: 'Import', exact: true }).click()]);
    await expect(page.getByRole('heading', { name: /^Import(ing|ed) corners\.wxr\.xml$/ }).count()).resolves.toBe(1);

    await page.locator('table tbody').waitFor({ timeout: 30_000 });
    await expect(page.getByText('The import has finished.').count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Imported corners.wxr.xml' }).count()).resolves.toBe(1);
    await expect(imported(page, 'Posts')).resolves.toBe('6');
    await expect(imported(page, 'Pages')).resolves.toBe('2');
    await expect(imported(page, 'Comments')).resolves.toBe('8');
    await expect(imported(page, 'Authors')).resolves.toBe('2');
    await expect(page.locator('tr', { hasText: 'Comments' }).textContent()).resolves.toContain('pingbacks are not kept');
    // The finished page stops refreshing itself.
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    const loads = await Promise.all(progressPages);
    expect(loads.length).toBeGreaterThanOrEqual(2);
    expect(loads[0]).toMatch(/Checking the file…|Importing…/);
    expect(loads[0]).toContain('http-equiv="refresh"');

    // The same summary on a phone: nothing wider than the screen.
    const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 812 }, storageState: await context.storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(page.url());
    await phonePage.screenshot({ path: path.join(RESULTS, 'import-summary-phone.png'), fullPage: true });
    const scrollWidth = await phonePage.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);

    // The imported child page answers at /parent/child/…
    await page.goto(`${url}/tentang/tim/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Tim Kami');
    // …and the old blog's /%postname%/ link lands on the post's new address.
    await page.goto(`${url}/seo-sosmed-untuk-blog-kecil/`);
    expect(new URL(page.url()).pathname).toBe('/2024/03/15/seo-sosmed-untuk-blog-kecil/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('SEO & Sosmed untuk Blog Kecil 🚀');
    await Promise.all([context.close(), phone.close()]);
  });

  it('keeps an imported password-protected post behind its password, remembered by the reader\'s browser only', async () => {
    const { t, url } = await openBlog();
    await t.services.wxrImport(CORNERS);
    const postPath = '/2024/04/10/khusus-anggota/';
    const body = 'Kode undangan rapat: IMERS-2024.';

    const reader = await browser.newContext();
    const page = await reader.newPage();
    const problems = watch(page);
    await page.goto(`${url}${postPath}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Protected: Khusus Anggota');
    await expect(page.getByText('This content is password protected.').count()).resolves.toBe(1);
    await expect(page.getByText(body).count()).resolves.toBe(0);

    await page.getByLabel('Password:').fill('rahasia');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enter' }).click()]);
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong password.');
    await expect(page.getByText(body).count()).resolves.toBe(0);

    await page.getByLabel('Password:').fill('rahasia & aman');
    await Promise.all([page.waitForURL(`${url}${postPath}`), page.getByRole('button', { name: 'Enter' }).click()]);
    await expect(page.getByText(body).isVisible()).resolves.toBe(true);
    await expect(page.locator('form.post-password-form').count()).resolves.toBe(0);

    await page.reload();
    await expect(page.getByText(body).isVisible()).resolves.toBe(true);

    // Another reader, without the password, still gets the form.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${url}${postPath}`);
    await expect(otherPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Protected: Khusus Anggota');
    await expect(otherPage.getByLabel('Password:').isVisible()).resolves.toBe(true);
    await expect(otherPage.getByText(body).count()).resolves.toBe(0);
    // The only refusal is the wrong password's page itself.
    expect(problems).toEqual(['403 /post-password/']);
    await Promise.all([reader.close(), other.close()]);
  });

  it('edits imported posts as HTML, and the live preview renders them as their pages will', async () => {
    const { t, url } = await openBlog();
    await t.services.wxrImport(CORNERS);
    const idOf = (slug: string) => t.db.prepare('SELECT id FROM posts WHERE slug = ?').pluck().get(slug) as number;

    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await logIn(page, url);
    const source = page.getByLabel('Text (HTML, imported from WordPress)');
    const preview = page.locator('#preview .preview-body');
    /** Types at the end of the text, as an author adding a line does; the preview follows the typing. */
    const typeAtEnd = async (text: string) => {
      await source.focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(text);
    };

    // A block-editor post: its table shows as a table, not as escaped tags.
    await page.goto(`${url}/admin/posts/${idOf('cara-pindah')}/edit/`);
    await expect(source.inputValue()).resolves.toContain('<table>');
    await typeAtEnd('\n\n<p>Selamat mencoba.</p>');
    await preview.locator('p', { hasText: 'Selamat mencoba.' }).waitFor({ timeout: 5000 });
    await expect(preview.locator('table td').allTextContents()).resolves.toEqual(['Ekspor', '1 menit', 'Impor', '2 menit']);
    await expect(preview.locator('figcaption').textContent()).resolves.toBe('Perkiraan waktu');
    const shown = await preview.innerText();
    for (const escaped of ['<table', '<p>', 'wp:paragraph']) expect(shown).not.toContain(escaped);
    await page.screenshot({ path: path.join(RESULTS, 'admin-editor-html-preview.png'), fullPage: true });

    // A classic-editor post: as in WordPress, a single line break is a line break (Markdown would join the lines).
    await page.goto(`${url}/admin/posts/${idOf('catatan-lama')}/edit/`);
    await typeAtEnd(' Terima kasih.');
    await preview.locator('p', { hasText: 'Terima kasih.' }).waitFor({ timeout: 5000 });
    await expect(preview.locator('p', { hasText: 'HTML sebaris' }).innerText()).resolves
      .toBe('Baris kosong memisahkan paragraf, dan HTML sebaris tetap ada.\nBaris ini cuma ganti baris, dengan tautan.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
