import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import type { User } from '../../src/models.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';

let t: TestApp;
let server: RunningServer;
let browser: Browser;
let ayu: User;

beforeAll(async () => {
  t = makeTestApp();
  ayu = createAccount(t, 'administrator', 'ayu@example.org', 'Ayu Lestari');
  server = await startServer(t.app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

async function loggedIn(): Promise<BrowserContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/admin/login/`);
  await submitLogin(page, 'ayu@example.org');
  await page.close();
  return context;
}

/** Script errors and refused requests, which an author would meet as an autosave that silently does nothing. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  return problems;
}

describe('autosave in Chromium', () => {
  it('keeps a new post typed in a tab that is then closed, and the later typing as an autosave to restore', async () => {
    const context = await loggedIn();
    let page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/admin/posts/new/`);
    await page.locator('#title').fill('Catatan dari kereta');
    await page.locator('#markdown').fill('Kereta berangkat pukul enam.');

    // The first autosave makes a draft, and the page moves to the draft's address without a reload.
    await page.waitForURL(/\/admin\/posts\/\d+\/edit\/$/, { timeout: 15000 });
    await expect(page.locator('#autosave-status').textContent()).resolves.toMatch(/^Draft autosaved at /);
    const editUrl = page.url();

    // More typing goes to the draft's autosave (at most every 15 s), then the tab is closed.
    await page.locator('#markdown').fill('Kereta berangkat pukul enam.\n\nDi luar hujan turun.');
    await page.waitForResponse((res) => res.url() === `${editUrl}autosave/` && res.ok(), { timeout: 25000 });
    expect(problems).toEqual([]);
    await page.close();

    // The posts list shows the draft; its editor has the text, and offers the newer autosave.
    page = await context.newPage();
    await page.goto(`${server.url}/admin/posts/`);
    await Promise.all([page.waitForURL(editUrl), page.getByRole('link', { name: 'Catatan dari kereta' }).first().click()]);
    await expect(page.locator('#markdown').inputValue()).resolves.toBe('Kereta berangkat pukul enam.');
    await expect(page.getByRole('status').filter({ hasText: 'There is an autosave of this post' }).count()).resolves.toBe(1);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Restore the autosave' }).click()]);
    await expect(page.locator('#markdown').inputValue()).resolves.toBe('Kereta berangkat pukul enam.\n\nDi luar hujan turun.');
    await context.close();
  });

  it('restores an earlier revision from the Revisions screen', async () => {
    const admin = ayu;
    const editor = t.services.postEditor;
    const first = editor.save({ ...editor.emptyForm('post'), title: 'Puisi pagi', markdown: 'Embun di daun.\nMatahari terbit.', status: 'published' }, 'post', admin);
    if ('errors' in first) throw new Error('not saved');
    const found = editor.findForEdit(first.id, admin, 'post');
    if (!found || found === 'forbidden') throw new Error('not found');
    const second = editor.save({ ...editor.formFor(found), markdown: 'Embun di daun.\nHujan turun.' }, 'post', admin, first.post);
    if ('errors' in second) throw new Error('not saved');

    const context = await loggedIn();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/admin/posts/${first.id}/edit/`);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Revisions (2)' }).click()]);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Compare with the current text' }).click()]);
    await expect(page.locator('.diff del').textContent()).resolves.toBe('Removed: Matahari terbit.');
    await expect(page.locator('.diff ins').textContent()).resolves.toBe('Added: Hujan turun.');
    // Readable on a phone: long lines wrap instead of widening the page.
    await page.setViewportSize({ width: 375, height: 800 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);

    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'All revisions' }).click()]);
    await Promise.all([page.waitForURL(/done=restored/), page.getByRole('button', { name: /^Restore the revision of / }).click()]);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Revision restored.');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Back to the editor' }).click()]);
    await expect(page.locator('#markdown').inputValue()).resolves.toBe('Embun di daun.\nMatahari terbit.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
