import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORD } from './admin.js';

// Debian's Chromium; playwright-core never downloads a browser here.
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium of its own for a test file (contexts keep its tests apart). */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });

/** Fills in and sends the admin's login form the page shows, as a person does, and waits for the dashboard. */
export async function submitLogin(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL(/\/admin\/$/), page.getByRole('button', { name: 'Log in' }).click()]);
}

export interface BrowserSession {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Chromium with a throwaway profile, so no state leaks between runs. */
export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

/** Listens on a free loopback port so parallel runs never collide. */
export function startServer(app: Express): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(0, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const close = () =>
        new Promise<void>((done, fail) => {
          // Keep-alive sockets from the browser would otherwise hold close() open.
          server.closeAllConnections();
          server.close((err) => (err ? fail(err) : done()));
        });
      resolve({ url: `http://127.0.0.1:${port}`, close });
    });
  });
}
