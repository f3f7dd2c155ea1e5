import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { launchBrowser, startServer, type BrowserSession, type RunningServer } from '../support/browser.js';

const RESULTS = path.resolve('test-results');
const TITLE = 'Trend life style: menjadi pasangan IMers';

let t: TestApp;
let server: RunningServer;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  t = makeTestApp();
  server = await startServer(t.app);
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

describe('reader in Chromium', () => {
  it('makes the skip link the first thing Tab reaches', async () => {
    await page.goto(`${server.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toBe('Skip to content');
  });

  it('shows the seed article on the home page and opens it from the title link', async () => {
    await page.goto(`${server.url}/`);
    // The title holds a non-breaking space; Playwright's text matching normalises it to a space.
    const link = page.getByRole('link', { name: TITLE, exact: true });
    await expect(link.isVisible()).resolves.toBe(true);
    await Promise.all([page.waitForURL(`${server.url}${SEED_PATH}`), link.click()]);
    expect(new URL(page.url()).pathname).toBe(SEED_PATH);
    await expect(page.locator('.entry-content h2').count()).resolves.toBe(3);
    await expect(page.getByText('*Newbie IM').first().isVisible()).resolves.toBe(true);
  });

  it('saves desktop and phone screenshots of the article', async () => {
    await page.goto(`${server.url}${SEED_PATH}`);
    await page.screenshot({ path: path.join(RESULTS, 'article.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(RESULTS, 'article-phone.png'), fullPage: true });
    expect(fs.statSync(path.join(RESULTS, 'article-phone.png')).size).toBeGreaterThan(0);
  });
});
