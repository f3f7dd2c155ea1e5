import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAssets } from '../../src/http/assets.js';
import { makeTestApp, SEED_PATH } from '../support/app.js';

afterEach(() => vi.restoreAllMocks());

describe('static files', () => {
  it('are looked up on disk only under their own prefixes: a post page costs no file lookup', async () => {
    const t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
    try {
      const stat = vi.spyOn(fs, 'stat');
      await request(t.app).get('/css/site.css').expect(200).expect('Content-Type', /css/);
      expect(stat).toHaveBeenCalled();
      stat.mockClear();
      const res = await request(t.app).get(SEED_PATH).expect(200);
      expect(res.text).toContain('menjadi pasangan');
      await request(t.app).get('/').expect(200);
      await request(t.app).get('/no-such-page/').expect(404);
      expect(stat).not.toHaveBeenCalled();
    } finally {
      t.close();
    }
  });

  it('serve the folders and dotted files at the top of public/, not a file named like a page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-public-'));
    try {
      fs.mkdirSync(path.join(dir, 'css'));
      fs.writeFileSync(path.join(dir, 'css', 'site.css'), 'body {}');
      fs.writeFileSync(path.join(dir, 'favicon.ico'), 'icon');
      fs.writeFileSync(path.join(dir, 'about'), 'not a page');
      const app = express();
      app.use(createAssets(dir).serve);
      app.get('/about', (_req, res) => void res.send('the about page'));
      await request(app).get('/css/site.css').expect(200, 'body {}');
      await request(app).get('/favicon.ico').expect(200);
      await request(app).get('/about').expect(200, 'the about page');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
