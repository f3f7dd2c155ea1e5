import { spawn } from 'node:child_process';

export interface BlogProcess {
  port: number;
  /** Printed by main.ts (after the listening line) while no one can log in. */
  setupToken: () => string | undefined;
  /** Everything the process printed so far. */
  output: () => string;
  /** SIGTERM to the process group, then SIGKILL if it lingers; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the blog (`node dist/src/main.js`, or `npm start`) in its own process group; resolves once it listens. */
export function startBlog(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<BlogProcess> {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  const stop = async () => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /Blog running at http:\/\/[^\s/]+:(\d+)\//.exec(out)?.[1];
      if (port) resolve({ port: Number(port), setupToken: () => /setup token ([A-Za-z0-9_-]{10,})/.exec(out)?.[1], output: () => out, stop });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code} before listening:\n${out}`)));
  });
}
