/**
 * A process that makes the session secret of `count` data folders under `root`, as `main.ts` does on start:
 * it says "ready", waits until `root/go` exists (so two racers start together), then prints the secrets as JSON.
 * Usage: tsx test/support/secret-racer.ts ROOT COUNT
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadOrCreateSecret } from '../../src/secret.js';

const [root, count] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));
process.stdout.write('ready\n');
while (!fs.existsSync(path.join(root, 'go'))) Atomics.wait(pause, 0, 0, 1);
const secrets = Array.from({ length: Number(count) }, (_, i) => loadOrCreateSecret(undefined, path.join(root, `blog-${i}`)));
process.stdout.write(`${JSON.stringify(secrets)}\n`);
