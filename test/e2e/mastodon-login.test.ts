import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/browser.js';
import { startFakeMastodonOAuth, type FakeMastodonOAuth } from '../support/fake-mastodon-oauth.js';

let t: TestApp | undefined;
let fake: FakeMastodonOAuth | undefined;
let server: http.Server | undefined;
let baseUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  fake = await startFakeMastodonOAuth();
  // The fake shows its Authorize page (a form), as Mastodon does in a browser.
  fake.showPage = true;
  // The app names its callback from PUBLIC_URL, so listen first and build the app once the port is known.
  server = http.createServer((req, res) => {
    if (!t) return void res.writeHead(503).end();
    t.app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = makeTestApp({ providerTimeoutMs: 5000, env: { PUBLIC_URL: baseUrl, FEDIVERSE_ALLOW_PRIVATE_ADDRESS: 'true' } });
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  }
  await fake?.close();
  t?.close();
});

describe('logging in with Mastodon in Chromium with JavaScript off', () => {
  it('types the instance, authorizes at the instance, comes back with the draft and posts the comment', async () => {
    // The browser does not know the throwaway CA the fake instance's certificate comes from.
    const context = await browser!.newContext({ javaScriptEnabled: false, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) blocked.push(message.text());
    });

    await page.goto(`${baseUrl}${SEED_PATH}`);
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Draft before Mastodon');
    await page.getByRole('textbox', { name: 'Your Mastodon instance or handle' }).fill(`@alice@${fake!.host}`);
    await Promise.all([
      page.waitForURL((url) => url.origin === fake!.origin && url.pathname === '/oauth/authorize'),
      page.getByRole('button', { name: 'Log in with Mastodon' }).click(),
    ]);
    await Promise.all([
      page.waitForURL((url) => url.pathname === SEED_PATH && url.hash === '#respond'),
      page.getByRole('button', { name: 'Authorize' }).click(),
    ]);

    const respond = page.locator('#respond');
    await expect(respond.textContent()).resolves.toContain(`You are commenting using your Mastodon account @alice@${fake!.host}.`);
    await expect(respond.locator('.logged-in-as strong').textContent()).resolves.toBe('Alice Fedi');
    await expect(page.getByRole('textbox', { name: /^Comment/ }).inputValue()).resolves.toBe('Draft before Mastodon');
    await expect(page.getByRole('textbox', { name: /^Name/ }).count()).resolves.toBe(0);

    await Promise.all([
      page.waitForURL((url) => url.pathname === SEED_PATH),
      page.getByRole('button', { name: 'Post Comment' }).click(),
    ]);
    const comment = page.locator('.comment-list li', { hasText: 'Draft before Mastodon' });
    await expect(comment.count()).resolves.toBe(1);
    await expect(comment.locator(`a[href="${fake!.origin}/@alice"]`).first().textContent()).resolves.toContain('Alice Fedi');
    expect(blocked).toEqual([]);
    expect(fake!.registrations).toHaveLength(1);
    await context.close();
  });
});
