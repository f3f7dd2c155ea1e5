import fs from 'node:fs';
import request from 'supertest';
import { expect } from 'vitest';
import type { TestApp } from './app.js';

type Agent = ReturnType<typeof request.agent>;

/** Posts one file to the upload form, as a browser would. */
export const upload = (agent: Agent, csrf: string, bytes: Buffer, filename: string, contentType = 'image/png') =>
  agent.post('/admin/media/').field('_csrf', csrf).attach('file', bytes, { filename, contentType });

/** What a test file's current app (`app()`) holds: the files in its uploads folder and the rows of its media table. */
export function mediaChecks(app: () => TestApp) {
  const storedFiles = () => (fs.existsSync(app().config.uploadsDir) ? fs.readdirSync(app().config.uploadsDir) : []);
  const rows = () => app().db.prepare('SELECT id, file_name AS fileName, original_name AS originalName, mime, size FROM media ORDER BY id').all() as
    { id: number; fileName: string; originalName: string; mime: string; size: number }[];

  function expectNothingStored() {
    expect(rows()).toEqual([]);
    expect(storedFiles()).toEqual([]);
  }

  return { storedFiles, rows, expectNothingStored };
}
