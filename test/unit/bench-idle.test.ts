import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuTicks, rssMiB, waitUntilIdle } from '../../bench/idle.js';

/** A node process that burns CPU for `busyMs`, says so on stdout, then sits idle until killed. */
function busyThenIdle(busyMs: number) {
  const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${busyMs}; while (Date.now() < end); console.log('done'); setInterval(() => {}, 60000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let doneAt = 0;
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => {
    doneAt = Date.now();
    resolve();
  }));
  return { child, ready, doneAt: () => doneAt };
}

describe('waiting until the server is idle before a run', () => {
  it('waits while the process keeps a CPU busy, and returns once it has been quiet', async () => {
    const p = busyThenIdle(700);
    try {
      await new Promise((r) => setTimeout(r, 150)); // the process has started its busy loop
      const idle = await waitUntilIdle([p.child.pid!], { quietMs: 300, timeoutMs: 10_000 });
      expect(idle).toBe(true);
      expect(p.doneAt()).toBeGreaterThan(0); // it had finished its work before we called it idle
      expect(Date.now() - p.doneAt()).toBeGreaterThanOrEqual(250);
    } finally {
      p.child.kill();
    }
  });

  it('gives up and says so when the process never goes quiet', async () => {
    const p = busyThenIdle(60_000);
    try {
      expect(await waitUntilIdle([p.child.pid!], { quietMs: 300, timeoutMs: 800 })).toBe(false);
    } finally {
      p.child.kill();
    }
  });

  it('reads CPU time and memory from /proc', async () => {
    const p = busyThenIdle(300);
    try {
      await p.ready;
      expect(cpuTicks(p.child.pid!)).toBeGreaterThan(10); // 300 ms of work at 100 ticks a second, give or take
      expect(rssMiB(p.child.pid!)).toBeGreaterThan(10);
      expect(rssMiB(999_999_999)).toBe(0);
    } finally {
      p.child.kill();
    }
  });
});
