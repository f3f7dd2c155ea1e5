import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/admin.js';
import { postPath as pathOf } from '../../src/permalinks.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium, startServer, type RunningServer } from '../support/browser.js';
import { manualClock, submitComment } from '../support/comments.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 375, height: 800 };
const TOKEN = 'phone-setup-token';
const LONG_CODE = `const everyPlaceThisBlogIsRead = ['${'https://example.org/'.repeat(12)}'];`;
const POST_SLUG = 'kode-di-ponsel';
const RESULTS = path.resolve('test-results');

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let postPath = '';

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  clock = manualClock();
  t = makeTestApp({ now: clock.now, setupToken: TOKEN });
  addPost(t, {
    slug: POST_SLUG,
    title: 'Kode di ponsel',
    publishedAt: '2026-05-20T08:00:00Z',
    markdown: `Sebuah baris kode yang panjang sekali:\n\n\`\`\`js\n${LONG_CODE}\n\`\`\`\n\nSelesai.`,
  });
  postPath = pathOf({ type: 'post', slug: POST_SLUG, publishedAt: '2026-05-20T08:00:00Z' }, t.services.settings.get().timeZone);
  for (const [author, text] of [['Rina', 'Terima kasih, sangat membantu!'], ['Budi', `Saya coba juga: ${'panjang'.repeat(30)}`]]) {
    const sent = await submitComment(t, clock, { author, email: `${author.toLowerCase()}@example.org`, comment: text }, { path: postPath, wait: 30 });
    const id = Number(/#comment-(\d+)/.exec(sent.headers.location ?? '')?.[1]);
    t.services.moderation.apply('approve', id);
    clock.advance(120);
  }
  // One more, held: the Comments screen and the menu's count show it.
  await submitComment(t, clock, { author: 'Sari', email: 'sari@example.org', comment: 'Menunggu moderasi.' }, { path: postPath, wait: 30 });
  server = await startServer(t.app);
  browser = await launchChromium();
  // The injected axe script is inline: the blog's Content-Security-Policy would refuse it.
  context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

interface Fit {
  scrollWidth: number;
  smallTargets: string[];
}

/**
 * The page's width and the links and buttons smaller than 24×24 CSS px (WCAG 2.2, 2.5.8). A link inside running
 * text is allowed smaller, as the criterion's inline exception says; hidden and off-screen (skip link) ones are not targets.
 */
async function measure(): Promise<Fit> {
  return page.evaluate(() => {
    const smallTargets: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, input[type="submit"]')) {
      const box = el.getBoundingClientRect();
      if (!el.checkVisibility() || box.right <= 0 || box.width <= 1 || el.closest('.visually-hidden')) continue;
      const inline = getComputedStyle(el).display === 'inline' && (el.parentElement?.textContent ?? '').trim().length > (el.textContent ?? '').trim().length;
      if (inline) continue;
      if (box.width < 24 || box.height < 24) smallTargets.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, smallTargets };
  });
}

/** axe-core's serious and critical findings on the page. */
async function axeProblems(): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (options?: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    return (await axe.run()).violations;
  });
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

async function visit(path: string) {
  const response = await page.goto(`${server.url}${path}`);
  return response?.status();
}

/** Every problem on the current page, named by the screen, so one failing run lists them all. */
async function problemsOn(screen: string, { axe = false, screenshot = false } = {}) {
  if (screenshot) await page.screenshot({ path: path.join(RESULTS, `phone-${screen.replace(/\W+/g, '-')}.png`), fullPage: true });
  const fit = await measure();
  const problems = [
    ...(fit.scrollWidth > PHONE.width ? [`${screen}: ${fit.scrollWidth} px wide`] : []),
    ...fit.smallTargets.map((target) => `${screen}: small target ${target}`),
  ];
  if (axe) problems.push(...(await axeProblems()).map((p) => `${screen}: axe ${p}`));
  return problems;
}

describe('on a 375 px phone', () => {
  it('every reader screen fits without sideways scrolling, with tap targets of 24 px, and passes axe-core', async () => {
    const problems: string[] = [];
    await visit('/');
    problems.push(...(await problemsOn('home', { axe: true })));
    await visit(postPath);
    problems.push(...(await problemsOn('post with comments and code', { axe: true, screenshot: true })));
    // The comment form sent empty answers with its errors named beside the fields.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Post Comment' }).click()]);
    await expect(page.locator('.comment-form .error').count()).resolves.toBeGreaterThan(0);
    problems.push(...(await problemsOn('comment form with errors', { axe: true })));
    await visit('/2026/05/');
    problems.push(...(await problemsOn('archive', { axe: true })));
    await visit('/?s=kode');
    problems.push(...(await problemsOn('search', { axe: true })));
    expect(await visit('/no-such-page-here/')).toBe(404);
    problems.push(...(await problemsOn('404', { axe: true })));
    // Readers whose phone is set to dark get the dark colours: their contrast is checked too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await visit(postPath);
    problems.push(...(await problemsOn('post in dark mode', { axe: true })));
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });

  it('every admin screen fits, from the setup page on, with tap targets of 24 px, and passes axe-core', async () => {
    const problems: string[] = [];
    await visit('/admin/setup/');
    problems.push(...(await problemsOn('setup', { axe: true })));
    await page.getByLabel('Setup token').fill(TOKEN);
    await page.getByLabel('Your name').fill('Ayu Lestari');
    await page.getByLabel('Email').fill('ayu@example.org');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/$/), page.getByRole('button', { name: 'Create account' }).click()]);
    problems.push(...(await problemsOn('dashboard with the welcome', { axe: true, screenshot: true })));

    for (const [screen, path] of [
      ['posts list', '/admin/posts/'],
      ['pages list', '/admin/pages/'],
      ['comments', '/admin/comments/'],
      ['media', '/admin/media/'],
      ['settings general', '/admin/settings/'],
      ['settings discussion', '/admin/settings/discussion/'],
      ['settings media', '/admin/settings/media/'],
      ['settings fediverse', '/admin/settings/fediverse/'],
      ['users', '/admin/users/'],
      ['profile', '/admin/profile/'],
      ['import', '/admin/import/'],
      ['export', '/admin/export/'],
      ['new post', '/admin/posts/new/'],
    ]) {
      expect(await visit(path), path).toBe(200);
      problems.push(...(await problemsOn(screen, { axe: true, screenshot: screen === 'posts list' || screen === 'comments' })));
    }

    // The server's Preview of a post with a long code line: the preview scrolls inside itself, the form stays put.
    await page.getByLabel('Title').fill('Kode panjang');
    await page.getByLabel(/^Text/).fill(`\`\`\`js\n${LONG_CODE}\n\`\`\``);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Preview' }).click()]);
    await page.waitForSelector('#preview:not([hidden]) pre');
    problems.push(...(await problemsOn('editor after Preview', { axe: true, screenshot: true })));

    // The screens one step further in, and the lists again in Indonesian, whose words run longer.
    const held = t.services.moderation.latest('pending', 1)[0].id;
    const postId = t.services.moderation.find(held)!.post.id;
    for (const [screen, path] of [
      ['editing a published post', `/admin/posts/${postId}/edit/`],
      ['replying to a comment', `/admin/comments/${held}/reply/`],
      ['editing a comment', `/admin/comments/${held}/edit/`],
      ['adding a user', '/admin/users/new/'],
    ]) {
      expect(await visit(path), path).toBe(200);
      problems.push(...(await problemsOn(screen)));
    }
    expect(t.services.settings.update({ language: 'id' })).toEqual({});
    for (const path of ['/admin/', '/admin/posts/', '/admin/comments/', '/admin/users/', '/admin/settings/', '/admin/settings/discussion/', '/admin/settings/fediverse/']) {
      expect(await visit(path), path).toBe(200);
      problems.push(...(await problemsOn(`${path} in Indonesian`)));
    }
    expect(t.services.settings.update({ language: 'en' })).toEqual({});
    await visit('/admin/');

    await Promise.all([page.waitForURL(/login/), page.getByRole('button', { name: 'Log out' }).click()]);
    problems.push(...(await problemsOn('login', { axe: true })));
    expect(problems).toEqual([]);
  });
});
