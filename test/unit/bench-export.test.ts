import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeBenchExport } from '../../bench/generate-wxr.js';
import { readWxr } from '../../src/wxr/reader.js';
import { makeTestApp, type TestApp } from '../support/app.js';

// The import benchmark's export, small: what the README says it holds is what the importer finds in it.
// 250 posts: the first trashed, private and scheduled ones are there (every 250th, 200th, 150th).
const SIZE = { posts: 250, commentsPerPost: 10, attachmentEvery: 10 };

describe('the import benchmark’s WordPress export', () => {
  let t: TestApp | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
  afterEach(() => t?.close());
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports whole: every post, page, attachment, term and author, every comment but the pingbacks', async () => {
    const file = path.join(dir, 'whole.xml');
    const holds = writeBenchExport(file, SIZE);
    t = makeTestApp();
    const summary = await t.services.wxrImport(file);
    expect(summary.imported).toEqual({
      posts: 250, pages: 30, attachments: 25, categories: 36, tags: 151, authors: 4, comments: holds.comments - 5,
    });
    expect(summary.skipped.comments).toEqual({ 'pingbacks are not kept': 5 });
  });

  it('holds the corners: replies listed before their parents, child pages, comments pending, spam and trashed, posts not published', async () => {
    const file = path.join(dir, 'corners.xml');
    writeBenchExport(file, SIZE);
    let replyBeforeParent = false;
    for await (const record of readWxr(file)) {
      if (record.kind !== 'item') continue;
      const ids = record.comments.map((c) => c.id);
      replyBeforeParent ||= record.comments.some((c, i) => ids.indexOf(c.parentId) > i);
    }
    expect(replyBeforeParent).toBe(true);

    t = makeTestApp();
    await t.services.wxrImport(file);
    const count = (sql: string) => (t!.db.prepare(sql).pluck().get() as number);
    expect(count("SELECT count(*) FROM posts WHERE type = 'page' AND parent_id IS NOT NULL")).toBe(20);
    expect(count('SELECT count(*) FROM media WHERE post_id IS NOT NULL')).toBe(25);
    expect(count('SELECT count(*) FROM comments WHERE parent_id IS NOT NULL')).toBeGreaterThan(500);
    const statuses = t.db.prepare('SELECT DISTINCT status FROM comments ORDER BY status').pluck().all();
    expect(statuses).toEqual(['approved', 'pending', 'spam', 'trash']);
    const postStatuses = t.db.prepare("SELECT DISTINCT status FROM posts WHERE type = 'post' ORDER BY status").pluck().all();
    expect(postStatuses).toEqual(['draft', 'published', 'scheduled', 'trash']);
  });
});
