import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { writeNginxConfig } from '../test/deploy/nginx-config.js';
import { measureTarget, type Settings } from './measure.js';
import { POST_PAGE, type Page } from './pages.js';
import type { RawResponse } from './raw-http.js';
import { freePort, startBlog, startPinned, type Running } from './server.js';
import type { Row } from './table.js';

function run(command: string, args: string[]) {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${done.stdout}${done.stderr}`);
}

/** A second TLS server in the same nginx, answering the post page's exact bytes from a file. */
function staticServer(port: number, cert: string, key: string, root: string, encoding: string | undefined): string {
  return `
server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate     ${cert};
    ssl_certificate_key ${key};
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${root};
    location / {
        ${encoding ? `add_header Content-Encoding ${encoding};` : ''}
        add_header Vary "Accept-Encoding, Cookie";
    }
}
`;
}

const page: Page = { name: 'post page through nginx', path: POST_PAGE, expectStatus: 200 };

/**
 * The post page through deploy/nginx.conf with deploy/nginx-cache.conf (TLS, as readers reach it; the config made
 * runnable by test/deploy/nginx-config.ts), nginx pinned with the blog on one CPU, against the same nginx
 * serving the same bytes as a static file.
 */
export async function measureThroughNginx(dataDir: string, s: Settings, { cpu }: { cpu: number }): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-bench-nginx-'));
  // nginx's workers run as nobody: they may pass through this folder to the ones nginx makes for them.
  fs.chmodSync(dir, 0o711);
  const ports = { http: await freePort(), https: await freePort(), static: await freePort() };
  const origin = `https://127.0.0.1:${ports.https}`;
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);

  const blog = await startBlog(dataDir, { cpu, pageCache: true, env: { PUBLIC_URL: origin, TRUST_PROXY: 'loopback' } });
  const conf = writeNginxConfig({ dir, httpPort: ports.http, httpsPort: ports.https, appPort: Number(new URL(blog.origin).port), cert, key, releaseDir: projectRoot });
  const startNginx = () => startPinned({ cpu, command: 'nginx', args: ['-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')], env: {}, cwd: dir, origin, readyPath: '/healthz', errorLog: path.join(dir, 'stderr.log') });
  let nginx: Running | undefined;
  try {
    nginx = await startNginx();
    const proxy = nginx;
    let sent: RawResponse | undefined;
    const withBlog: Running = { ...proxy, pids: () => [...proxy.pids(), ...blog.pids()], rssMiB: () => proxy.rssMiB() + blog.rssMiB() };
    const cached = await measureTarget(withBlog, 'nginx cache + blog', [page], s, noForm, (_page, response) => (sent = response));
    console.log(`  the post page through nginx: X-Cache-Status ${sent!.headers['x-cache-status']}`);
    await proxy.stop();

    // The bytes nginx sent, as a file the same nginx serves (restarted with one more server).
    const root = path.join(dir, 'static');
    const file = path.join(root, POST_PAGE, 'index.html');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, sent!.body);
    fs.chmodSync(file, 0o644);
    for (let d = path.dirname(file); d.startsWith(root); d = path.dirname(d)) fs.chmodSync(d, 0o755);
    fs.appendFileSync(path.join(dir, 'blog.conf'), staticServer(ports.static, cert, key, root, sent!.headers['content-encoding'] as string | undefined));
    nginx = await startNginx();
    const fromFile = await measureTarget({ ...nginx, origin: `https://127.0.0.1:${ports.static}` }, 'nginx static file', [page], s, noForm);
    return [...cached, ...fromFile];
  } finally {
    await nginx?.stop();
    await blog.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const noForm = () => Promise.reject(new Error('no comment form through nginx'));
