import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/container.js';
import { openDatabase } from '../../src/db/open.js';
import type { OutgoingMail } from '../../src/mail/types.js';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, recordingLogger, TEST_SECRET, type TestApp } from '../support/app.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const mail = (fields: Partial<OutgoingMail> = {}): OutgoingMail => ({
  kind: 'comment-notice',
  to: 'reader@example.org',
  subject: 'A new comment on “Trend life style”',
  text: 'Someone wrote: hello',
  html: '<p>Someone wrote: <b>hello</b></p>',
  ...fields,
});

const outboxRows = (t: TestApp) => t.db.prepare('SELECT status, attempts, message_id AS messageId, last_error AS lastError FROM outbox ORDER BY id').all() as Array<{ status: string; attempts: number; messageId: string; lastError: string | null }>;

/** Polls (the worker runs on its own) until `check` holds, or fails after a few seconds. */
async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The email notice at the top of Settings → Discussion, as HTML, or undefined when there is none. */
const emailStatus = (html: string) => {
  const start = html.indexOf('id="email-status"');
  return start < 0 ? undefined : html.slice(start, html.indexOf('</div>', start));
};

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtp() {
  const server = await startSmtpServer();
  cleanups.push(() => server.close());
  return server;
}

function app(server: Pick<TestSmtpServer, 'url'> | string, backoffMs = [30, 30, 30, 30]) {
  const t = makeTestApp({ env: { SMTP_URL: typeof server === 'string' ? server : server.url }, mailBackoffMs: backoffMs });
  cleanups.push(() => t.close());
  return t;
}

describe('the outbox', () => {
  it('delivers a queued message with its headers and both parts', async () => {
    const server = await smtp();
    const t = app(server);
    expect(t.services.mailer.enabled).toBe(true);
    expect(t.services.mailer.queue(mail({ kind: 'new-comment', unsubscribeUrl: 'http://blog.test/subscriptions/unsubscribe/abc' }))).toBe(true);
    expect(t.services.mailer.queue(mail({ to: 'author@example.org', subject: 'Held for moderation' }))).toBe(true);
    const [withList, plain] = await server.waitFor(2);
    const rows = outboxRows(t);

    expect(withList.to).toEqual(['reader@example.org']);
    expect(withList.parsed.messageId).toBe(rows[0].messageId);
    expect(rows[0].messageId).toMatch(/^<[\w-]+@blog\.test>$/);
    expect(withList.parsed.date).toBeInstanceOf(Date);
    expect(Math.abs(withList.parsed.date!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(withList.parsed.from?.value).toEqual([{ name: t.services.settings.get().title, address: 'wordpress@blog.test' }]);
    expect(withList.parsed.to).toMatchObject({ value: [{ address: 'reader@example.org' }] });
    expect(withList.parsed.subject).toBe('A new comment on “Trend life style”');
    expect(withList.parsed.text?.trim()).toBe('Someone wrote: hello');
    expect(withList.parsed.html).toContain('<p>Someone wrote: <b>hello</b></p>');
    expect(withList.raw).toMatch(/^List-Unsubscribe: <http:\/\/blog\.test\/subscriptions\/unsubscribe\/abc>\r?$/m);
    expect(withList.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    expect(plain.parsed.messageId).toBe(rows[1].messageId);
    expect(plain.parsed.subject).toBe('Held for moderation');
    expect(plain.raw).not.toMatch(/^List-Unsubscribe/im);
    await until(() => outboxRows(t).every((row) => row.status === 'sent'), 'both rows marked sent');
  });

  it('uses MAIL_FROM when it is set', async () => {
    const server = await smtp();
    const t = makeTestApp({ env: { SMTP_URL: server.url, MAIL_FROM: '"The Blog" <blog@example.org>' } });
    cleanups.push(() => t.close());
    t.services.mailer.queue(mail());
    const [received] = await server.waitFor(1);
    expect(received.parsed.from?.value).toEqual([{ name: 'The Blog', address: 'blog@example.org' }]);
  });

  it('keeps trying while the server says "try later", then delivers once', async () => {
    const server = await smtp();
    server.refuse(2, 451);
    const t = app(server);
    t.services.mailer.queue(mail());
    await server.waitFor(1);
    await until(() => outboxRows(t)[0].status === 'sent', 'the row marked sent');
    expect(outboxRows(t)[0]).toMatchObject({ status: 'sent', attempts: 3 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.received).toHaveLength(1);
  });

  it('keeps trying while nothing listens, then delivers once the server is up', async () => {
    // A port that was just free: nothing listens there until the test starts the server on it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const t = app(`smtp://127.0.0.1:${port}`, [40]);
    t.services.mailer.queue(mail());
    await until(() => outboxRows(t)[0].attempts >= 2 && outboxRows(t)[0].status === 'queued', 'two refused attempts');
    expect(outboxRows(t)[0].lastError).toMatch(/ECONNREFUSED/);

    const { SMTPServer } = await import('smtp-server');
    const arrived: string[] = [];
    const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onData(stream, session, done) {
      stream.resume();
      stream.on('end', () => { arrived.push(session.envelope.rcptTo[0].address); done(); });
    } });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await until(() => outboxRows(t)[0].status === 'sent', 'the row marked sent');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(arrived).toEqual(['reader@example.org']);
  });

  it('gives up after a day of refusals (status failed)', async () => {
    const server = await smtp();
    server.refuse(100, 421);
    const t = makeTestApp({ env: { SMTP_URL: server.url }, mailBackoffMs: [30] });
    cleanups.push(() => t.close());
    // A message queued a day ago: the next refusal is its last.
    t.services.mailer.queue(mail());
    t.db.prepare('UPDATE outbox SET created_at = created_at - 86400000').run();
    await until(() => outboxRows(t)[0].status === 'failed', 'the row marked failed');
    expect(outboxRows(t)[0].lastError).toMatch(/421/);
  });

  it('marks a hard bounce and never writes to that address again', async () => {
    const server = await smtp();
    server.refuse(1, 550);
    const t = app(server);
    t.services.mailer.queue(mail({ to: 'Gone@Example.org' }));
    await until(() => outboxRows(t)[0]?.status === 'bounced', 'the row marked bounced');
    expect(t.services.mailer.queue(mail({ to: 'gone@example.org' }))).toBe(false);
    expect(t.services.mailer.queue(mail({ to: 'someone@example.org' }))).toBe(true);
    await server.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.received.map((m) => m.to)).toEqual([['someone@example.org']]);
    expect(outboxRows(t)).toHaveLength(2);
  });

  it('queues nothing for a "to" that is not one plain address', async () => {
    const server = await smtp();
    const t = app(server);
    for (const to of ['a@example.org, b@example.org', 'Someone <a@example.org>', 'a@example.org\r\nBcc: b@example.org', 'nobody']) {
      expect(t.services.mailer.queue(mail({ to }))).toBe(false);
    }
    expect(outboxRows(t)).toEqual([]);
  });

  it('never sends a message twice when the blog dies in the middle of sending it', async () => {
    const server = await smtp();
    const release = server.hold();
    const t = app(server);
    t.services.mailer.queue(mail());
    await until(() => outboxRows(t)[0].status === 'sending', 'the row marked sending');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The crash: the first worker is abandoned (never stopped) and its database handle closed.
    t.db.close();
    const db = openDatabase(t.config.databasePath);
    cleanups.push(() => db.close());
    const restarted = createServices(db, t.config, TEST_SECRET, undefined, { backoffMs: [30] });
    const { logger, lines } = recordingLogger();
    restarted.mailWorker.start(logger);
    cleanups.push(() => restarted.mailWorker.stop());
    release();
    await server.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.received).toHaveLength(1);
    expect(db.prepare('SELECT status FROM outbox').pluck().all()).toEqual(['unknown']);
    expect(lines.some((line) => line.level === 40 && /not sent again/.test(line.msg))).toBe(true);
  });

  it('writes a readable .eml file in MAIL_DIR instead of sending, and the admin says where', async () => {
    const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-mail-'));
    cleanups.push(() => fs.rmSync(mailDir, { recursive: true, force: true }));
    const t = makeTestApp({ env: { MAIL_DIR: mailDir } });
    cleanups.push(() => t.close());
    expect(t.services.mailer.queue(mail({ kind: 'new-post', unsubscribeUrl: 'http://blog.test/subscriptions/unsubscribe/xyz' }))).toBe(true);
    // Read once the worker has marked it sent: the file appears as soon as its writing starts.
    await until(() => outboxRows(t)[0].status === 'sent', 'the row marked sent');
    const [file] = fs.readdirSync(mailDir);
    expect(file).toMatch(/-new-post-1\.eml$/);
    const raw = fs.readFileSync(path.join(mailDir, file), 'utf8');
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(outboxRows(t)[0].messageId);
    expect(parsed.to).toMatchObject({ value: [{ address: 'reader@example.org' }] });
    expect(parsed.subject).toBe('A new comment on “Trend life style”');
    expect(parsed.text?.trim()).toBe('Someone wrote: hello');
    expect(parsed.html).toContain('<b>hello</b>');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

    const { agent } = await adminAgent(t);
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    const notice = emailStatus(page.text);
    expect(notice).toContain('Development mode');
    expect(notice).toContain(`<code>${mailDir}</code>`);
  });

  it('is off without SMTP_URL or MAIL_DIR: nothing is queued, and Settings → Discussion says so in the site language', async () => {
    const t = makeTestApp();
    cleanups.push(() => t.close());
    expect(t.services.mailer.enabled).toBe(false);
    expect(t.services.mailer.queue(mail())).toBe(false);
    expect(outboxRows(t)).toEqual([]);

    const { agent } = await adminAgent(t);
    const english = emailStatus((await agent.get('/admin/settings/discussion/').expect(200)).text);
    expect(english).toContain('Email is off: the blog sends no comment notices');
    expect(english).toMatch(/<details[^]*To turn it on, set <code>SMTP_URL<\/code>/);
    t.services.settings.update({ language: 'id' });
    const indonesian = emailStatus((await agent.get('/admin/settings/discussion/').expect(200)).text);
    expect(indonesian).toContain('Email mati: blog tidak mengirim');
  });

  it('says nothing on Settings → Discussion when email is sent', async () => {
    const server = await smtp();
    const t = app(server);
    const { agent } = await adminAgent(t);
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    expect(page.text).toContain('Discussion Settings');
    expect(emailStatus(page.text)).toBeUndefined();
  });

  it('refuses a start with an SMTP_URL it cannot use, or with both SMTP_URL and MAIL_DIR, naming the variable', () => {
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org:587' })).toThrow(/SMTP_URL="mail.example.org:587": expected smtp:\/\/user:pass@host:587/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25', MAIL_DIR: '/tmp/mail' })).toThrow(/MAIL_DIR: expected either SMTP_URL .* or MAIL_DIR/);
    expect(() => loadConfig({ MAIL_FROM: 'The Blog' })).toThrow(/MAIL_FROM="The Blog": expected an address/);
    expect(loadConfig({ SMTP_URL: 'smtps://blog%40example.org:secret@smtp.example.org:465' }).mail.transport).toEqual({ smtpUrl: 'smtps://blog%40example.org:secret@smtp.example.org:465' });
  });
});
