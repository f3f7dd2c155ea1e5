import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/admin.js';
import { mediaChecks } from '../support/admin-media.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { launchChromium, startServer, submitLogin, type RunningServer } from '../support/browser.js';
import { PHP, PNG } from '../fixtures/images.js';

let t: TestApp;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
const { rows } = mediaChecks(() => t);

beforeAll(async () => {
  t = makeTestApp();
  createAccount(t, 'administrator', 'ayu@example.org', 'Ayu Lestari');
  server = await startServer(t.app);
  browser = await launchChromium();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  t?.close();
});

/** A logged-in editor on a new post, with `text` typed and the cursor put after `cursorAfter`. */
async function newPost(text: string, cursorAfter: string, javaScriptEnabled = true) {
  context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // Script errors and CSP refusals; the favicon Chromium asks for by itself (the blog has none) is no problem of the editor's.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(message.text());
  });
  await page.goto(`${server.url}/admin/login/`);
  await submitLogin(page, 'ayu@example.org');
  await page.goto(`${server.url}/admin/posts/new/`);
  await page.getByLabel('Title').fill('Foto liburan');
  const source = page.getByLabel('Text (Markdown)');
  await source.fill(text);
  if (javaScriptEnabled) await source.evaluate((area: HTMLTextAreaElement, at) => area.setSelectionRange(at, at), text.indexOf(cursorAfter) + cursorAfter.length);
  return { page, source, problems };
}

/** Waits until the upload's line has replaced its placeholder, and returns the text. */
const insertedText = (page: Page) =>
  page.waitForFunction(() => {
    const value = (document.getElementById('markdown') as HTMLTextAreaElement).value;
    return /\]\(\/uploads\/[^)]+\)/.test(value) && !value.includes('()') ? value : false;
  }).then((handle) => handle.jsonValue() as Promise<string>);

/** The Markdown of the library's newest image, as it should stand in the text. */
const newestLine = (name: string) => `![${name}](/uploads/${rows().at(-1)!.fileName})`;

describe('images from the editor, with JavaScript', () => {
  it('the Add image button uploads the chosen file with a progress indicator and puts its Markdown at the cursor', async () => {
    const { page, problems } = await newPost('Pagi di pantai. Sore di bukit.', 'Pagi di pantai. ');
    const before = rows().length;
    // The upload is held back a moment so the author can be seen waiting for it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/admin/media/', async (route) => { await held; await route.continue(); });

    await expect(page.getByLabel('Add an image').isVisible()).resolves.toBe(false);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Add image' }).click()]);
    await chooser.setFiles({ name: 'pantai.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForFunction(() => (document.getElementById('markdown') as HTMLTextAreaElement).value.includes('![Uploading image… pantai.png]()'));
    await expect(page.locator('.editor-image-progress').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('status').filter({ hasText: 'Uploading “pantai.png”…' }).count()).resolves.toBe(1);
    release();

    const text = await insertedText(page);
    expect(rows().length).toBe(before + 1);
    expect(rows().at(-1)!.originalName).toBe('pantai.png');
    expect(text).toBe(`Pagi di pantai. ${newestLine('pantai')}Sore di bukit.`);
    await expect(page.locator('.editor-image-progress').isVisible()).resolves.toBe(false);
    // The live preview shows the image straight away.
    await page.waitForSelector(`#preview img[src="/uploads/${rows().at(-1)!.fileName}"]`);
    expect(problems).toEqual([]);
  });

  it('an image file dropped onto the text is uploaded and its Markdown put at the cursor', async () => {
    const { page, source, problems } = await newPost('Satu.\n\nDua.', 'Satu.\n\n');
    const before = rows().length;
    await source.evaluate((area, bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'seret.png', { type: 'image/png' }));
      area.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      area.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...PNG]);
    const text = await insertedText(page);
    expect(rows().length).toBe(before + 1);
    expect(text).toBe(`Satu.\n\n${newestLine('seret')}Dua.`);
    expect(problems).toEqual([]);
  });

  it('a pasted screenshot is uploaded and its Markdown put at the cursor', async () => {
    const { page, source, problems } = await newPost('Lihat ini: ', 'Lihat ini: ');
    const before = rows().length;
    await source.evaluate((area, bytes) => {
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    }, [...PNG]);
    const text = await insertedText(page);
    expect(rows().length).toBe(before + 1);
    expect(text).toBe(`Lihat ini: ${newestLine('image')}`);
    expect(problems).toEqual([]);
  });

  it('a file that is not an image is refused beside the text, and nothing is inserted', async () => {
    const { page, source } = await newPost('Tetap sama.', 'Tetap');
    const before = rows().length;
    await source.evaluate((area, bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'bukan.png', { type: 'image/png' }));
      area.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...PHP]);
    await page.waitForFunction(() => document.getElementById('image-error')!.textContent !== '');
    await expect(page.getByRole('alert').filter({ hasText: 'not an image' }).textContent())
      .resolves.toBe('That file is not an image we accept. Upload a JPEG, PNG, GIF or WebP image.');
    await expect(source.inputValue()).resolves.toBe('Tetap sama.');
    expect(rows().length).toBe(before);
  });
});

describe('images from the editor, without JavaScript', () => {
  it('the Add an image field sends the image with the post, which gets its Markdown at the end', async () => {
    const { page, source } = await newPost('Tanpa skrip pun bisa.', '', false);
    const before = rows().length;
    await page.getByLabel('Add an image').setInputFiles({ name: 'formulir.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(/\/edit\/\?done=/), page.locator('button[name="intent"][value="draft"]').click()]);
    expect(rows().length).toBe(before + 1);
    await expect(source.inputValue()).resolves.toBe(`Tanpa skrip pun bisa.\n\n${newestLine('formulir')}`);
  });
});
