import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';
import { buildExportBlog, parseWxr } from '../support/wxr-export-blog.js';

const clock = manualClock('2024-06-01T10:00:00Z');
let t: TestApp;

/** Runs `npm run -s export` (the CLI from source) with stdout to a pipe, as `> blog.xml` would give it. */
function runExport(env: Record<string, string>, args: string[] = []) {
  const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['src/cli/export.ts', ...args], {
    cwd: projectRoot, env: { ...process.env, SESSION_SECRET: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const undated = (xml: string) => xml.replace(/<pubDate>[^<]*<\/pubDate>/, '');

beforeAll(async () => {
  t = makeTestApp({ now: clock.now, seed: false });
  await buildExportBlog(t, clock);
});
afterAll(() => t?.close());

describe('npm run -s export', () => {
  it('writes the same WXR document as the admin download to stdout, and nothing else', async () => {
    const { status, stdout, stderr } = await runExport({ DATABASE_PATH: t.config.databasePath, PUBLIC_URL: 'http://blog.test' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.startsWith('<?xml version="1.0" encoding="UTF-8" ?>')).toBe(true);
    expect(undated(stdout)).toBe(undated([...t.services.wxrExport.document()].join('')));
    const wxr = parseWxr(stdout);
    expect(wxr.item('markdown-post')['content:encoded']).toContain(']]&gt; too');
    expect(wxr.items.map((i) => i['wp:post_name'])).toContain('about');
  });

  it('says clearly when there is no database and writes nothing', async () => {
    const missing = path.join(t.dir, 'nowhere', 'blog.db');
    const { status, stdout, stderr } = await runExport({ DATABASE_PATH: missing });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`export: there is no database at ${missing} (check DATABASE_PATH)\n`);
  });

  it('refuses arguments it does not take', async () => {
    const { status, stdout, stderr } = await runExport({ DATABASE_PATH: t.config.databasePath }, ['blog.xml']);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('usage: npm run -s export > blog.xml');
  });
});
