// `npm run release [-- OUT_DIR]`: a deployable folder and tarball, OUT_DIR/imers-blog-<version>[.tar.gz] (default
// release/). It holds the compiled dist/ and what the blog reads at run time, no sources and no node_modules:
// unpack it on the server and run `npm ci --omit=dev`, then `npm start`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'release'));
const folderName = `${name}-${version}`;
const target = path.join(outDir, folderName);
const SHIPPED = ['package.json', 'package-lock.json', 'README.md', '.env.example', 'migrations', 'content', 'views', 'public', 'deploy', 'scripts/ensure-built.mjs'];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`release: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
// A fresh compile into the release, so no output of a deleted source file rides along from an old dist/.
run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', path.join(target, 'dist')]);
for (const entry of SHIPPED) fs.cpSync(path.join(root, entry), path.join(target, entry), { recursive: true });
run('tar', ['-czf', path.join(outDir, `${folderName}.tar.gz`), '-C', outDir, folderName]);
console.log(`Release ready: ${target} and ${target}.tar.gz`);
