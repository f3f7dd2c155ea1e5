import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, FLUSH_EVERY_MS } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-logger-'));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const linesOf = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('the logger', () => {
  it('writes lines in batches, and a quiet server’s last line still reaches the journal within a flush period', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'a.log');
    const logger = createLogger('info', file);
    await new Promise((resolve) => setTimeout(resolve, 50));
    logger.info('one request');
    expect(linesOf(file)).toEqual([]);
    expect(await until(() => linesOf(file).length === 1, FLUSH_EVERY_MS * 3)).toBe(true);
    expect(JSON.parse(linesOf(file)[0]).msg).toBe('one request');
    await new Promise<void>((resolve) => logger.close(resolve));
  });

  it('writes its last lines when the process crashes without closing it', () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'c.log');
    const script = `import { createLogger } from ${JSON.stringify(path.join(projectRoot, 'src/logger.ts'))};
      const logger = createLogger('info', ${JSON.stringify(file)});
      setTimeout(() => { logger.info('last words'); throw new Error('crash'); }, 100);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain('crash');
    expect(linesOf(file).map((line) => JSON.parse(line).msg)).toEqual(['last words']);
  });

  it('writes what is left when closed, before the process exits', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'b.log');
    const logger = createLogger('info', file);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 3; i++) logger.info(`line ${i}`);
    await new Promise<void>((resolve) => logger.close(resolve));
    expect(linesOf(file).map((line) => JSON.parse(line).msg)).toEqual(['line 0', 'line 1', 'line 2']);
  });
});
