import { afterEach, describe, expect, it } from 'vitest';
import { listenHttps, testCa, trustTestCa } from '../support/test-ca.js';

let undo: (() => void) | undefined;
afterEach(() => undo?.());

describe('the test CA (test support for fake https instances)', () => {
  it('is refused by fetch until trusted, then accepted for 127.0.0.1 and localhost', async () => {
    const site = await listenHttps((req, res) => res.end(`hello ${req.headers.host}`));
    try {
      await expect(fetch(site.origin)).rejects.toThrow();
      undo = trustTestCa(await testCa());
      expect(await (await fetch(site.origin)).text()).toBe(`hello ${new URL(site.origin).host}`);
      const local = site.origin.replace('127.0.0.1', 'localhost');
      expect(await (await fetch(local)).text()).toBe(`hello ${new URL(local).host}`);
    } finally {
      await site.close();
    }
  });
});
