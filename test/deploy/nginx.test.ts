import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { PNG } from '../fixtures/images.js';
import { SEED_PATH } from '../support/app.js';
import { formFields } from '../support/comments.js';
import { startBlog, type BlogProcess } from './blog-process.js';
import { browserFrom, plainGet } from './https-client.js';
import { writeNginxConfig } from './nginx-config.js';
import { freePort, installPublic, listening, unitEnvironment } from './nginx-site.js';

/** The real user ids of a process's children: nginx's workers, cache manager and cache loader under its master. */
function childUids(parent: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      return Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent ? [Number(/^Uid:\s+(\d+)/m.exec(status)?.[1])] : [];
    } catch {
      return []; // The process ended meanwhile.
    }
  });
}

const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const PASSWORD = 'a long enough password for the admin';
const asRoot = process.getuid?.() === 0;
const idOf = (flag: '-u' | '-g', user: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout);

describe('the blog behind deploy/nginx.conf (Debian nginx, TLS, the systemd unit environment)', () => {
  let tmp: string;
  let dataDir: string;
  let ports: { http: number; https: number; app: number };
  let ca: string;
  let blog: BlogProcess | undefined;
  let nginx: ChildProcess | undefined;
  let admin: ReturnType<typeof browserFrom>;
  /** Fetched through nginx while the blog runs; `neverAsked` is uploaded but never fetched. */
  let uploaded = '';
  let uploadedBytes: Buffer = Buffer.alloc(0);
  let neverAsked = '';
  const origin = () => `https://127.0.0.1:${ports.https}`;
  const visitor = () => browserFrom({ port: ports.https, ca, localAddress: '127.0.0.7' });
  const stored = <T>(sql: string, ...params: unknown[]) => {
    const db = new Database(path.join(dataDir, 'blog.db'), { readonly: true });
    try {
      return db.prepare(sql).get(...params) as T;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-nginx-'));
    // nginx's workers (nobody) may pass through to the temp and cache folders nginx makes for them here, not list it.
    fs.chmodSync(tmp, 0o711);
    dataDir = path.join(tmp, 'data');
    const releaseDir = path.join(tmp, 'release');
    installPublic(releaseDir);
    ports = { http: await freePort(), https: await freePort(), app: await freePort() };

    const cert = path.join(tmp, 'cert.pem');
    const key = path.join(tmp, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    fs.chmodSync(key, 0o600);
    ca = fs.readFileSync(cert, 'utf8');

    const built = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/ensure-built.mjs')], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    const env = unitEnvironment();
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '127.0.0.1', TRUST_PROXY: 'loopback' });
    blog = await startBlog(process.execPath, [path.join(projectRoot, 'dist/src/main.js')], projectRoot, {
      ...env,
      PORT: String(ports.app),
      DATABASE_PATH: path.join(dataDir, 'blog.db'),
      PUBLIC_URL: origin(),
    });

    const conf = writeNginxConfig({ dir: tmp, httpPort: ports.http, httpsPort: ports.https, appPort: ports.app, cert, key, releaseDir });
    const check = spawnSync('nginx', ['-t', '-c', conf, '-p', tmp, '-e', path.join(tmp, 'error.log')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    nginx = spawn('nginx', ['-c', conf, '-p', tmp, '-e', path.join(tmp, 'error.log')], { stdio: 'ignore' });
    await listening(ports.https);
  });

  afterAll(async () => {
    await blog?.stop();
    if (nginx && nginx.exitCode === null) {
      const gone = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGTERM');
      await gone;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends plain http to https', async () => {
    const res = await plainGet(ports.http, '/2016/?x=1');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('https://127.0.0.1/2016/?x=1');
  });

  it('serves the home page and the first post over TLS, as https (HSTS from the blog)', async () => {
    const home = await visitor().get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Trend life style');
    expect(home.headers['strict-transport-security']).toMatch(/max-age=/);
    const post = await visitor().get(SEED_PATH);
    expect(post.status).toBe(200);
    expect(post.text).toContain('Leave a Reply');
    const health = await visitor().get('/healthz');
    expect(health.status).toBe(200);
  });

  it('takes a guest comment and stores the address the visitor connected from, not a forged X-Forwarded-For', async () => {
    const browser = visitor();
    const page = await browser.get(SEED_PATH);
    // The form refuses what is sent within 3 s of rendering, as a bot would.
    await new Promise((r) => setTimeout(r, 3500));
    const res = await browser.postForm('/comments/', { ...formFields(page.text), author: 'Ani', email: 'ani@example.org', comment: 'Tulisan yang bagus!' }, {
      'sec-fetch-site': 'same-origin',
      'x-forwarded-for': '6.6.6.6',
    });
    expect(res.status).toBe(303);
    expect(stored<{ author_ip: string }>('SELECT author_ip FROM comments WHERE author_email = ?', 'ani@example.org')).toEqual({ author_ip: '127.0.0.7' });
  });

  it('lets the administrator claim the blog with the printed setup token, then log in with a Secure cookie', async () => {
    expect(blog!.setupToken()).toBeTruthy();
    const claimer = browserFrom({ port: ports.https, ca, localAddress: '127.0.0.8' });
    expect((await claimer.get('/admin/setup/')).status).toBe(200);
    const setup = await claimer.postForm('/admin/setup/', { token: blog!.setupToken()!, name: 'Admin', email: 'admin@example.org', password: PASSWORD }, { origin: origin() });
    expect(setup.status).toBe(303);
    expect(setup.headers.location).toBe('/admin/');

    admin = browserFrom({ port: ports.https, ca, localAddress: '127.0.0.8' });
    const login = await admin.postForm('/admin/login/', { email: 'admin@example.org', password: PASSWORD }, { 'sec-fetch-site': 'same-origin' });
    expect(login.status).toBe(303);
    expect(login.headers['set-cookie']?.join('\n')).toMatch(/blog\.sid=.*; Secure/);
    const dashboard = await admin.get('/admin/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Admin');

    const upload = async () => {
      const media = await admin.get('/admin/media/');
      const form = new FormData();
      form.append('_csrf', csrfFrom(media.text));
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'dot.png');
      const sent = await admin.postMultipart('/admin/media/', form, { 'sec-fetch-site': 'same-origin' });
      expect(sent.status).toBe(303);
      return stored<{ file_name: string }>('SELECT file_name FROM media ORDER BY id DESC LIMIT 1').file_name;
    };
    uploaded = await upload();
    neverAsked = await upload();
    expect(uploaded).toMatch(/\.png$/);
    expect(neverAsked).toMatch(/\.png$/);
    expect(neverAsked).not.toBe(uploaded);
  });

  it('serves an upload with the blog\'s headers and no cookie, then answers for it from nginx\'s cache', async () => {
    // The admin's session cookie goes along, as a browser sends it; nginx keeps nothing that sets a cookie.
    expect(admin.cookieNames()).toContain('blog.sid');
    const image = await admin.get(`/uploads/${uploaded}`);
    expect(image.status).toBe(200);
    expect(image.headers['set-cookie']).toBeUndefined();
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    uploadedBytes = image.body;

    const again = await visitor().get(`/uploads/${uploaded}?v=2`);
    expect(again.status).toBe(200);
    expect(again.body.equals(uploadedBytes)).toBe(true);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The blog logs requests in order: once this later one is logged, the upload's second request would be too.
    expect((await visitor().get('/?after=uploads')).status).toBe(200);
    const logged = (url: string) => blog!.output().split('\n').filter((line) => line.includes(`"url":"${url}"`)).length;
    for (let i = 0; i < 50 && logged('/?after=uploads') === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(logged('/?after=uploads')).toBe(1);
    expect(logged(`/uploads/${uploaded}`)).toBe(1);
    expect(logged(`/uploads/${uploaded}?v=2`)).toBe(0);
  });

  it.runIf(asRoot)('runs nginx\'s workers as nobody, who cannot open the blog\'s uploads (run as root to check)', () => {
    const uids = childUids(nginx!.pid!);
    expect(uids.length).toBeGreaterThan(0);
    expect(new Set(uids)).toEqual(new Set([idOf('-u', 'nobody')]));
    const read = spawnSync('cat', [path.join(dataDir, 'uploads', uploaded)], { uid: idOf('-u', 'nobody'), gid: idOf('-g', 'nobody'), encoding: 'utf8' });
    expect(read.status).not.toBe(0);
    expect(read.stderr).toContain('Permission denied');
  });

  it('serves public/ files from the release with the cache headers the blog sends', async () => {
    const versioned = await visitor().get('/css/site.css?v=0123456789ab');
    expect(versioned.status).toBe(200);
    expect(versioned.headers['content-type']).toMatch(/^text\/css/);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await visitor().get('/css/site.css')).headers['cache-control']).toBe('public, max-age=3600');
    expect((await visitor().get('/css/missing.css')).text).toContain('</html>');
  });

  it('refuses a body over the upload limit at nginx', async () => {
    const big = await visitor().postForm('/comments/', { comment: 'x'.repeat(11 * 1024 * 1024) }, { 'sec-fetch-site': 'same-origin' });
    expect(big.status).toBe(413);
  });

  it('with the blog stopped (cleanly, exit 0), still serves public/ and the upload nginx has kept, not one it never fetched', async () => {
    expect(await blog!.stop()).toBe(0);
    blog = undefined;
    // A page nginx never kept needs the blog (one read in the last minute is answered stale: nginx-cache.test.ts).
    expect((await visitor().get('/?never=read')).status).toBe(502);
    const kept = await visitor().get(`/uploads/${uploaded}`);
    expect(kept.status).toBe(200);
    expect(kept.body.equals(uploadedBytes)).toBe(true);
    expect(kept.headers['content-type']).toBe('image/png');
    expect(kept.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // nginx never reads the data folder: an upload it has not fetched from the blog needs the blog.
    expect((await visitor().get(`/uploads/${neverAsked}`)).status).toBe(502);
    expect((await visitor().get('/css/site.css?v=0123456789ab')).status).toBe(200);
  });
});
