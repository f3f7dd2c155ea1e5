import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ARCHIVE_CATEGORY, generateBlog, SMALL_BLOG } from '../../bench/generate.js';

describe('the benchmark blog', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('files a full page of posts under the measured category on the small blog, as the large blog has', () => {
    const file = path.join(dir, 'blog.db');
    generateBlog(file, SMALL_BLOG);
    const db = new Database(file, { readonly: true });
    try {
      const inCategory = db.prepare(`SELECT count(*) FROM post_terms pt JOIN terms t ON t.id = pt.term_id
        JOIN posts p ON p.id = pt.post_id WHERE t.taxonomy = 'category' AND t.slug = ? AND p.status = 'published'`).pluck().get(ARCHIVE_CATEGORY);
      // The archive's page 1 then lists 10 excerpts on both blogs (the default 10 a page).
      expect(inCategory).toBe(SMALL_BLOG.posts);
    } finally {
      db.close();
    }
  });
});
