import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Static files from public/, each top-level folder its own prefix (/css/, /js/, /images/) and each top-level file
 * with an extension its own path (a /favicon.ico, if one is added); anything else goes straight to the routes,
 * so a page request never touches the disk. Pages link to them as `/css/site.css?v=<content hash>`, so a
 * versioned URL can be cached for a year and a changed file gets a new URL.
 */
export function createAssets(publicDir: string): { asset: (file: string) => string; serve: RequestHandler } {
  const hashes = new Map<string, string>();
  const hashOf = (file: string) => {
    let hash = hashes.get(file);
    if (!hash) {
      const bytes = fs.readFileSync(path.join(publicDir, file));
      hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      hashes.set(file, hash);
    }
    return hash;
  };
  const served = new Set(
    fs.readdirSync(publicDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.name.includes('.'))
      .map((entry) => entry.name),
  );
  const files = express.static(publicDir, {
    index: false,
    redirect: false,
    setHeaders(res) {
      const versioned = 'v' in (res.req.query ?? {});
      res.setHeader(
        'Cache-Control',
        versioned ? `public, max-age=${YEAR_SECONDS}, immutable` : 'public, max-age=3600',
      );
    },
  });
  return {
    asset: (file) => `/${file}?v=${hashOf(file)}`,
    serve: (req, res, next) => (served.has(req.path.split('/', 2)[1]) ? files(req, res, next) : next()),
  };
}
