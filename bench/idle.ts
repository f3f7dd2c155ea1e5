import fs from 'node:fs';

/** CPU time (user + system, in clock ticks) a process has used so far, from /proc/<pid>/stat. */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15
}

/** Resident memory of a process in MiB, from /proc/<pid>/status (0 once it is gone). */
export function rssMiB(pid: number): number {
  try {
    const kB = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kB ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export interface IdleOptions {
  /** How long the processes must use no CPU at all. */
  quietMs?: number;
  pollMs?: number;
  /** Gives up (and says so) after this long: a server that never settles must not hang the benchmark. */
  timeoutMs?: number;
  cpuTime?: (pid: number) => number;
}

/**
 * Resolves once none of the processes has used CPU for `quietMs`, so work left over from one run (garbage
 * collection, compression of cache entries, a WAL checkpoint) is not billed to the next. True when idle, false on timeout.
 */
export async function waitUntilIdle(pids: number[], { quietMs = 300, pollMs = 50, timeoutMs = 60_000, cpuTime = cpuTicks }: IdleOptions = {}): Promise<boolean> {
  const total = () => pids.reduce((sum, pid) => sum + cpuTime(pid), 0);
  const deadline = Date.now() + timeoutMs;
  let last = total();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = total();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return true;
    }
  }
  return false;
}
