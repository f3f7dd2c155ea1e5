import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { launchChromium } from '../support/browser.js';
import { manualClock } from '../support/comments.js';
import { startFakeTwitter, type FakeTwitter } from '../support/fake-twitter.js';

const RESULTS = path.resolve('test-results');

let t: TestApp | undefined;
let clock: ReturnType<typeof manualClock>;
let fake: FakeTwitter | undefined;
let server: http.Server | undefined;
let baseUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  fake = await startFakeTwitter({
    consumerKey: 'ck',
    consumerSecret: 'cs',
    user: { name: 'Ani on X', screenName: 'ani', profileImageUrl: 'https://pbs.example/ani.jpg' },
  });
  clock = manualClock();
  // The app builds its callback URL from PUBLIC_URL, so listen first and build the app once the port is known.
  server = http.createServer((req, res) => {
    if (!t) return void res.writeHead(503).end();
    t.app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = makeTestApp({
    now: clock.now,
    providerTimeoutMs: 5000,
    env: {
      PUBLIC_URL: baseUrl,
      TWITTER_CONSUMER_KEY: 'ck',
      TWITTER_CONSUMER_SECRET: 'cs',
      TWITTER_REQUEST_TOKEN_URL: fake.requestTokenUrl,
      TWITTER_ACCESS_TOKEN_URL: fake.accessTokenUrl,
      TWITTER_USER_AUTHORIZATION_URL: fake.userAuthorizationUrl,
      TWITTER_USER_PROFILE_URL: fake.userProfileUrl,
    },
  });
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

describe('logging in with Twitter in Chromium', () => {
  it('keeps the draft through the OAuth dance, posts as the account and logs out', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) problems.push(message.text());
    });

    await page.goto(`${baseUrl}${SEED_PATH}`);
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Draft before Twitter');
    await Promise.all([
      page.waitForURL((url) => url.pathname === SEED_PATH && url.hash === '#respond'),
      page.getByRole('button', { name: 'Twitter' }).click(),
    ]);

    const respond = page.locator('#respond');
    await expect(respond.textContent()).resolves.toContain('You are commenting using your Twitter account');
    await expect(respond.locator('.logged-in-as strong').textContent()).resolves.toBe('Ani on X');
    await expect(page.getByRole('textbox', { name: /^Comment/ }).inputValue()).resolves.toBe('Draft before Twitter');
    await expect(page.getByRole('textbox', { name: /^Name/ }).count()).resolves.toBe(0);
    expect(fake!.signatures.failed).toBe(0);
    expect(fake!.signatures.verified).toBeGreaterThanOrEqual(3);
    await respond.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, 'twitter-login.png'), fullPage: true });

    clock.advance(30);
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Hello from X');
    await Promise.all([
      page.waitForURL(/#comment-\d+$/),
      page.getByRole('button', { name: 'Post Comment' }).click(),
    ]);
    const id = new URL(page.url()).hash.replace('#comment-', '');
    const comment = page.locator(`li#comment-${id}`);
    await expect(comment.locator('.comment-content').textContent()).resolves.toContain('Hello from X');
    await expect(comment.textContent()).resolves.toContain('Ani on X');

    await Promise.all([
      page.waitForURL((url) => url.pathname === SEED_PATH && url.hash === '#respond'),
      page.getByRole('button', { name: 'Log Out' }).click(),
    ]);
    await page.waitForLoadState();
    await expect(page.getByRole('textbox', { name: /^Name/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('textbox', { name: /^Email/ }).count()).resolves.toBe(1);
    await expect(page.locator('#respond').textContent()).resolves.not.toContain('You are commenting using');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('posts a guest’s comment when Enter is pressed in a field, with the login buttons on the form', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}${SEED_PATH}`);
    clock.advance(30);
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Posted with the Enter key');
    await page.getByRole('textbox', { name: /^Name/ }).fill('Budi');
    await page.getByRole('textbox', { name: /^Email/ }).fill('budi@example.org');
    const requestsToTwitter = fake!.signatures.verified + fake!.signatures.failed;
    await Promise.all([
      page.waitForURL(/#comment-\d+$/),
      page.getByRole('textbox', { name: /^Email/ }).press('Enter'),
    ]);
    expect(new URL(page.url()).pathname).toBe(SEED_PATH);
    const id = new URL(page.url()).hash.replace('#comment-', '');
    await expect(page.locator(`li#comment-${id} .comment-content`).textContent()).resolves.toContain('Posted with the Enter key');
    expect(fake!.signatures.verified + fake!.signatures.failed).toBe(requestsToTwitter);
    await context.close();
  });
});
