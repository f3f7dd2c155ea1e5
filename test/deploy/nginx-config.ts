import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

export interface NginxPlaces {
  dir: string;
  httpPort: number;
  httpsPort: number;
  appPort: number;
  cert: string;
  key: string;
  /** The release folder, which holds public/ (nginx reads it; it never reads the blog's data folder). */
  releaseDir: string;
}

/** Replaces `from` (which must occur exactly once) so a reshaped deploy/nginx.conf fails loudly instead of going untested. */
function once(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`deploy/nginx.conf: expected "${from}" once, found it ${count} times`);
  return text.replace(from, to);
}

/**
 * deploy/nginx.conf as it is, with only the machine-specific parts moved into a temp folder: the ports (all on
 * 127.0.0.1), the certificate, the release folder, nginx's cache folders and the page cache snippet
 * (deploy/nginx-cache.conf, which writeNginxConfig copies there unchanged). Every other directive runs as shipped.
 */
export function siteConfig(p: NginxPlaces): string {
  let site = fs.readFileSync(path.join(projectRoot, 'deploy/nginx.conf'), 'utf8');
  site = once(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${p.appPort};`);
  site = once(site, 'listen 80;', `listen 127.0.0.1:${p.httpPort};`);
  site = once(site, 'listen [::]:80;\n', '');
  site = once(site, 'listen 443 ssl http2;', `listen 127.0.0.1:${p.httpsPort} ssl http2;`);
  site = once(site, 'listen [::]:443 ssl http2;\n', '');
  site = once(site, '/etc/letsencrypt/live/blog.example.org/fullchain.pem', p.cert);
  site = once(site, '/etc/letsencrypt/live/blog.example.org/privkey.pem', p.key);
  site = once(site, 'root /opt/blog/public;', `root ${path.join(p.releaseDir, 'public')};`);
  site = once(site, 'proxy_cache_path /var/cache/nginx/blog-uploads ', `proxy_cache_path ${path.join(p.dir, 'blog-uploads')} `);
  site = once(site, 'proxy_cache_path /var/cache/nginx/blog-pages ', `proxy_cache_path ${path.join(p.dir, 'blog-pages')} `);
  site = once(site, 'include snippets/blog-cache.conf;', `include ${path.join(p.dir, 'blog-cache.conf')};`);
  return site.replaceAll('blog.example.org', '127.0.0.1');
}

/**
 * The main nginx.conf Debian ships, cut to what a non-daemon nginx in a temp folder needs: its pid, logs and
 * temp files stay in `dir`, and the site file is included in the http block as sites-enabled/ would be.
 * Workers run as nobody, who owns none of the blog's files, as www-data owns none on a server: nginx (started
 * as root) makes its temp and cache folders in `dir` and hands them to nobody, so `dir` must let nobody in.
 */
export function writeNginxConfig(p: NginxPlaces): string {
  const file = path.join(p.dir, 'nginx.conf');
  fs.writeFileSync(path.join(p.dir, 'blog.conf'), siteConfig(p));
  fs.copyFileSync(path.join(projectRoot, 'deploy/nginx-cache.conf'), path.join(p.dir, 'blog-cache.conf'));
  const temp = (name: string) => `${name}_temp_path ${path.join(p.dir, name)};`;
  fs.writeFileSync(file, `
user nobody nogroup;
daemon off;
worker_processes 1;
pid ${path.join(p.dir, 'nginx.pid')};
error_log ${path.join(p.dir, 'error.log')} warn;
events { worker_connections 128; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  access_log ${path.join(p.dir, 'access.log')};
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
  include ${path.join(p.dir, 'blog.conf')};
}
`);
  return file;
}
