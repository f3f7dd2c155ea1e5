import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-race-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const FOLDERS = 300;

/** Starts a real node process racing for the secrets; resolves once it is waiting for the start signal. */
function startRacer() {
  const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['test/support/secret-racer.ts', root, String(FOLDERS)], { cwd: projectRoot });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('ready\n')) resolve(); }));
  const secrets = new Promise<string[]>((resolve, reject) => child.on('close', (code) =>
    code === 0 ? resolve(JSON.parse(out.slice(out.indexOf('ready\n') + 6)) as string[]) : reject(new Error(`racer exited ${code}: ${err}`))));
  return { ready, secrets, kill: () => child.kill() };
}

describe('loadOrCreateSecret, two processes starting at once', () => {
  it('gives both the same secret for every data folder, and leaves only the secret file behind', async () => {
    const racers = [startRacer(), startRacer()];
    try {
      await Promise.all(racers.map((r) => r.ready));
      fs.writeFileSync(path.join(root, 'go'), '');
      const [first, second] = await Promise.all(racers.map((r) => r.secrets));
      expect(first).toHaveLength(FOLDERS);
      expect(new Set(first).size).toBe(FOLDERS);
      expect(second).toEqual(first);
      for (let i = 0; i < FOLDERS; i++) {
        const folder = path.join(root, `blog-${i}`);
        expect(fs.readdirSync(folder)).toEqual(['session-secret']);
        expect(fs.readFileSync(path.join(folder, 'session-secret'), 'utf8')).toBe(first[i]);
      }
    } finally {
      racers.forEach((r) => r.kill());
    }
  }, 30000);
});
