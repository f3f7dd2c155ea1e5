import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTSIDE_WRITES_EVERY_MS } from '../../src/container.js';
import { openDatabase } from '../../src/db/open.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t.close());

describe('writes made by another process (an import from the command line)', () => {
  it('reach pages the running blog keeps in its page cache within a quarter second', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    expect((await request(t.app).get(SEED_PATH).expect(200)).text).not.toContain('Written by the importer');
    // Opened as the command-line tools open it (the search index's triggers need the blog's search_text function).
    const outside = openDatabase(t.config.databasePath);
    outside.prepare("UPDATE posts SET title = 'Written by the importer' WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").run();
    outside.close();
    clock.advance(OUTSIDE_WRITES_EVERY_MS / 1000);
    expect((await request(t.app).get(SEED_PATH).expect(200)).text).toContain('Written by the importer');
  });

  it('are not mistaken for the blog’s own writes, which keep the other pages', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    await request(t.app).get('/').expect(200);
    t.db.prepare("UPDATE posts SET title = 'Changed behind the cache' WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").run();
    clock.advance(1);
    expect((await request(t.app).get('/').expect(200)).text).not.toContain('Changed behind the cache');
  });
});
