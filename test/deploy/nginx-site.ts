import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { startBlog, type BlogProcess } from './blog-process.js';
import { browserFrom } from './https-client.js';
import { writeNginxConfig } from './nginx-config.js';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export const listening = async (port: number) => {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) =>
      net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) {
        this.destroy();
        resolve(true);
      }).once('error', () => resolve(false)));
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
};

/** Runs a command to its end; throws with its output when it fails. */
function run(command: string, args: string[]) {
  const done = spawnSync(command, args, { cwd: projectRoot, encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${done.stdout}${done.stderr}`);
}

/** The Environment= assignments of deploy/blog.service, as systemd hands them to the blog. */
export function unitEnvironment(): Record<string, string> {
  const unit = fs.readFileSync(path.join(projectRoot, 'deploy/blog.service'), 'utf8');
  const assignments = unit.split('\n').filter((l) => l.startsWith('Environment=')).flatMap((l) => l.slice('Environment='.length).split(/\s+/).filter(Boolean));
  return Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
}

/** public/ as a release unpacked in /opt/blog has it: readable by everyone, nginx's workers included. */
export function installPublic(releaseDir: string) {
  const to = path.join(releaseDir, 'public');
  fs.cpSync(path.join(projectRoot, 'public'), to, { recursive: true });
  fs.chmodSync(releaseDir, 0o755);
  fs.chmodSync(to, 0o755);
  for (const e of fs.readdirSync(to, { withFileTypes: true, recursive: true })) fs.chmodSync(path.join(e.parentPath, e.name), e.isDirectory() ? 0o755 : 0o644);
}

export interface NginxSite {
  /** The blog's database file. */
  dbPath: string;
  /** The blog's process; undefined once stopped with stopBlog(). */
  blog: () => BlogProcess | undefined;
  /** A browser stand-in talking https to nginx from the given loopback address. */
  browser: (localAddress: string) => ReturnType<typeof browserFrom>;
  origin: string;
  /** Stops the blog cleanly (nginx keeps running); resolves with its exit code. */
  stopBlog: () => Promise<number | null>;
  /** Stops nginx and the blog and removes the temp folder. */
  stop: () => Promise<void>;
}

/**
 * The built blog with the systemd unit's environment, and Debian's nginx (not a daemon, workers as nobody) in front
 * of it with deploy/nginx.conf over TLS (a self-signed certificate), everything in a fresh temp folder on 127.0.0.1.
 */
export async function startNginxSite(): Promise<NginxSite> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-nginx-'));
  // nginx's workers (nobody) may pass through to the temp and cache folders nginx makes for them here, not list it.
  fs.chmodSync(tmp, 0o711);
  let blog: BlogProcess | undefined;
  let nginx: ChildProcess | undefined;
  const stopBlog = async () => {
    const code = await blog?.stop();
    blog = undefined;
    return code ?? null;
  };
  const stop = async () => {
    await stopBlog();
    const running = nginx;
    if (running && running.exitCode === null) {
      const gone = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      await gone;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const releaseDir = path.join(tmp, 'release');
    installPublic(releaseDir);
    const ports = { http: await freePort(), https: await freePort(), app: await freePort() };
    const origin = `https://127.0.0.1:${ports.https}`;
    const cert = path.join(tmp, 'cert.pem');
    const key = path.join(tmp, 'key.pem');
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    fs.chmodSync(key, 0o600);
    const ca = fs.readFileSync(cert, 'utf8');
    run(process.execPath, [path.join(projectRoot, 'scripts/ensure-built.mjs')]);

    const dbPath = path.join(tmp, 'data', 'blog.db');
    blog = await startBlog(process.execPath, [path.join(projectRoot, 'dist/src/main.js')], projectRoot, {
      ...unitEnvironment(),
      PORT: String(ports.app),
      DATABASE_PATH: dbPath,
      PUBLIC_URL: origin,
    });
    const conf = writeNginxConfig({ dir: tmp, httpPort: ports.http, httpsPort: ports.https, appPort: ports.app, cert, key, releaseDir });
    const nginxArgs = ['-c', conf, '-p', tmp, '-e', path.join(tmp, 'error.log')];
    run('nginx', ['-t', ...nginxArgs]);
    nginx = spawn('nginx', nginxArgs, { stdio: 'ignore' });
    await listening(ports.https);
    return {
      dbPath,
      blog: () => blog,
      browser: (localAddress) => browserFrom({ port: ports.https, ca, localAddress }),
      origin,
      stopBlog,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
