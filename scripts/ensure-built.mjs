// Runs before `npm start` and the command-line tools: a checkout builds itself when dist/ is missing or older
// than src/; a release (dist/ built, no src/, installed with `npm ci --omit=dev`) starts without TypeScript.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(root, 'dist/src/main.js');

/** Newest modification time of the files under a folder (0 when it does not exist). */
function newestIn(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((newest, e) => Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

const builtAt = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const sourcesAt = Math.max(newestIn(path.join(root, 'src')), fs.existsSync(path.join(root, 'tsconfig.json')) ? fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs : 0);
if (builtAt > 0 && builtAt >= sourcesAt) process.exit(0);

if (!fs.existsSync(path.join(root, 'node_modules/typescript/package.json'))) {
  console.error(builtAt === 0
    ? 'dist/ is missing and TypeScript is not installed (a production install leaves it out), so the blog cannot be built here.'
    : 'src/ is newer than dist/ and TypeScript is not installed (a production install leaves it out), so the blog cannot be rebuilt here.');
  console.error('Either install everything and build (npm ci && npm run build), or deploy a release made with `npm run release` (see "Deploying a release" in README.md).');
  process.exit(1);
}
console.log(builtAt === 0 ? 'Building dist/ (first start)…' : 'Rebuilding dist/ (src/ changed)…');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
