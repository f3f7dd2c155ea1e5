import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { startBlog, type BlogProcess } from './blog-process.js';

const { name, version } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string };

const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 540_000 });

describe('npm run release, installed as README\'s "Deploying a release" says', () => {
  let tmp: string;
  let deployed: string;
  let blog: BlogProcess | undefined;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-release-'));
    const made = run('npm', ['run', 'release', '--', path.join(tmp, 'out')], projectRoot);
    expect(made.status, made.stdout + made.stderr).toBe(0);
    // The server gets the tarball, unpacked elsewhere.
    fs.mkdirSync(path.join(tmp, 'srv'));
    const unpacked = run('tar', ['-xzf', path.join(tmp, 'out', `${name}-${version}.tar.gz`), '-C', path.join(tmp, 'srv')], tmp);
    expect(unpacked.status, unpacked.stderr).toBe(0);
    deployed = path.join(tmp, 'srv', `${name}-${version}`);
  });

  afterAll(async () => {
    await blog?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the compiled blog and what it reads at run time, not the TypeScript sources', () => {
    expect(fs.existsSync(path.join(deployed, 'dist/src/main.js'))).toBe(true);
    for (const needed of ['package-lock.json', 'views', 'public', 'migrations', 'content', 'deploy/nginx.conf', 'deploy/blog.service']) {
      expect(fs.existsSync(path.join(deployed, needed)), needed).toBe(true);
    }
    expect(fs.existsSync(path.join(deployed, 'src'))).toBe(false);
  });

  it('installs without dev dependencies and starts without compiling, serving the first post', async () => {
    const installed = run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], deployed);
    expect(installed.status, installed.stdout + installed.stderr).toBe(0);
    expect(fs.existsSync(path.join(deployed, 'node_modules/better-sqlite3'))).toBe(true);
    expect(fs.existsSync(path.join(deployed, 'node_modules/typescript'))).toBe(false);

    blog = await startBlog('npm', ['start'], deployed, { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path.join(tmp, 'data/blog.db') });
    const home = await fetch(`http://127.0.0.1:${blog.port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Trend life style');
    expect(blog.output()).not.toContain('Building');
    await blog.stop();
    blog = undefined;
  });

  it('says what to do, instead of failing obscurely, when dist/ is missing and TypeScript is not installed', () => {
    fs.renameSync(path.join(deployed, 'dist'), path.join(deployed, 'dist-gone'));
    const started = run('npm', ['start'], deployed, { DATABASE_PATH: path.join(tmp, 'data/blog.db'), PORT: '0' });
    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain('dist/ is missing and TypeScript is not installed');
    expect(started.stderr).toContain('npm run release');
  });
});
