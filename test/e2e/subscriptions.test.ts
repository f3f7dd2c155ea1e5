import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';
import { manualClock } from '../support/comments.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const GUEST = 'sari@example.org';

let smtp: TestSmtpServer;
let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let server: RunningServer;
let browser: Browser;
let postPath: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  clock = manualClock();
  t = makeTestApp({ env: { SMTP_URL: smtp.url }, now: clock.now, mailBackoffMs: [50, 50, 50] });
  const ayu = createAccount(t, 'author', 'ayu@example.org', 'Ayu');
  postPath = t.services.posts.permalinkOf(addPost(t, { slug: 'menanam-cabai', title: 'Menanam Cabai', authorId: ayu.id }))!;
  server = await startServer(t.app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
  await smtp?.close();
});

/** The guest's messages as they arrived at the SMTP server, once there are `count` of them. */
async function guestMail(count: number) {
  const end = Date.now() + 10_000;
  while (smtp.received.filter((m) => m.to.includes(GUEST)).length < count) {
    if (Date.now() > end) throw new Error(`${count} messages for the guest did not arrive`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return smtp.received.filter((m) => m.to.includes(GUEST));
}

/** A link in a message, opened on the running server (the messages name the blog's public URL). */
const linkIn = (text: string, kind: string) => {
  const url = new RegExp(`http://blog\\.test(/subscriptions/${kind}/[\\w-]+/)`).exec(text)?.[1];
  if (!url) throw new Error(`no ${kind} link in: ${text}`);
  return `${server.url}${url}`;
};

describe('follow-up comments by email, in Chromium', () => {
  it('a guest subscribes, confirms by the link, gets the author’s reply with an unsubscribe link, and unsubscribes', async () => {
    const guest = await (await browser.newContext()).newPage();
    await guest.goto(`${server.url}${postPath}`);
    clock.advance(30);
    await guest.getByRole('textbox', { name: /^Comment/ }).fill('Cabai saya layu, kenapa ya?');
    await guest.getByRole('textbox', { name: /^Name/ }).fill('Sari');
    await guest.getByRole('textbox', { name: /^Email/ }).fill(GUEST);
    await guest.getByRole('checkbox', { name: 'Notify me of follow-up comments by email.' }).check();
    await Promise.all([guest.waitForURL(/#comment-\d+$/), guest.getByRole('button', { name: 'Post Comment' }).click()]);

    const [confirmation] = await guestMail(1);
    expect(confirmation.parsed.subject).toContain('Confirm your subscription');
    await guest.goto(linkIn(confirmation.parsed.text ?? '', 'confirm'));
    await Promise.all([guest.waitForLoadState('load'), guest.getByRole('button', { name: 'Confirm' }).click()]);
    await expect(guest.getByRole('status').textContent()).resolves.toContain('This address now receives:');
    await expect(guest.locator('main, body').first().textContent()).resolves.toContain('New comments on “Menanam Cabai”');

    const author = await (await browser.newContext()).newPage();
    await author.goto(`${server.url}/admin/login/`);
    await submitLogin(author, 'ayu@example.org');
    await author.goto(`${server.url}/admin/comments/`);
    const row = author.locator('tr', { hasText: 'Cabai saya layu' });
    await Promise.all([author.waitForLoadState('load'), row.getByRole('link', { name: 'Reply' }).click()]);
    await author.getByLabel('Your reply').fill('Siram pagi hari saja, Sari.');
    await Promise.all([author.waitForLoadState('load'), author.getByRole('button', { name: 'Approve and reply' }).click()]);

    const reply = (await guestMail(2))[1];
    expect(reply.parsed.subject).toBe('New comment on “Menanam Cabai”');
    expect(reply.parsed.text).toContain('Siram pagi hari saja, Sari.');
    expect(reply.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    const unsubscribe = linkIn(reply.parsed.text ?? '', 'unsubscribe');
    expect(reply.parsed.html).toContain(unsubscribe.replace(server.url, 'http://blog.test'));

    await guest.goto(unsubscribe);
    await Promise.all([guest.waitForLoadState('load'), guest.getByRole('button', { name: 'Unsubscribe' }).click()]);
    await expect(guest.getByRole('status').textContent()).resolves.toContain('You will no longer receive: New comments on “Menanam Cabai”.');

    // A later reply reaches the guest no more.
    await author.goto(`${server.url}/admin/comments/`);
    await Promise.all([author.waitForLoadState('load'), author.locator('tr', { hasText: 'Cabai saya layu' }).getByRole('link', { name: 'Reply' }).click()]);
    await author.getByLabel('Your reply').fill('Dan beri pupuk kompos.');
    await Promise.all([author.waitForLoadState('load'), author.getByRole('button', { name: 'Reply', exact: true }).click()]);
    expect(t.db.prepare("SELECT count(*) FROM outbox WHERE recipient = ? AND kind = 'new-comment'").pluck().get(GUEST)).toBe(1);
  });
});
