import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../bench/server.js';
import { unitEnvironment } from './nginx-site.js';
import { projectRoot } from '../../src/paths.js';

const unitFile = path.join(projectRoot, 'deploy/blog.service');
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** Each `Key=value` line of the unit, by key (a key given twice keeps every value). */
function directives(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of fs.readFileSync(unitFile, 'utf8').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m) found.set(m[1], [...(found.get(m[1]) ?? []), m[2]]);
  }
  return found;
}

describe('deploy/blog.service', () => {
  it('runs the blog unprivileged, read-only but for the data folder, and stops it with SIGTERM in time', () => {
    const unit = directives();
    expect(unit.get('User')).toEqual(['blog']);
    expect(unit.get('ProtectSystem')).toEqual(['strict']);
    expect(unit.get('ReadWritePaths')).toEqual(['/var/lib/blog']);
    expect(unit.get('NoNewPrivileges')).toEqual(['true']);
    expect(unit.get('PrivateTmp')).toEqual(['true']);
    expect(unit.get('KillSignal')).toEqual(['SIGTERM']);
    // The blog's own grace period is 10 s: systemd must wait longer before it kills.
    expect(Number(unit.get('TimeoutStopSec')?.[0])).toBeGreaterThan(10);
    expect(unit.get('Restart')).toEqual(['on-failure']);
    expect(unit.get('Environment')?.join(' ')).toMatch(/(^| )NODE_ENV=production( |$)/);
    expect(unit.get('Environment')?.join(' ')).toMatch(/(^| )HOST=127\.0\.0\.1( |$)/);
    expect(unit.get('Environment')?.join(' ')).toMatch(/(^| )TRUST_PROXY=loopback( |$)/);
    expect(unit.get('Environment')?.join(' ')).toMatch(/(^| )PUBLIC_URL=https:\/\//);
    expect(unit.get('Environment')?.join(' ')).toMatch(/(^| )DATABASE_PATH=\/var\/lib\/blog\//);
  });

  it('starts node with the memory settings npm start gives it, which keep the blog under 150 MB under load', () => {
    const flags = (args: string[]) => args.filter((arg) => arg.startsWith('--'));
    const start = startCommand();
    expect(flags(start.args)).toEqual(['--max-old-space-size=512', '--max-semi-space-size=4']);
    expect(flags(directives().get('ExecStart')![0].split(' '))).toEqual(flags(start.args));
    expect(start.env).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(unitEnvironment()).toMatchObject(start.env);
  });

  it.skipIf(!hasSystemdAnalyze)('is a unit systemd accepts (systemd-analyze verify)', () => {
    const verified = spawnSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8' });
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
  });
});
