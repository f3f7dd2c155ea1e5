import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

/**
 * The packages only an upload, a feed or a post with code needs, loaded when first used: with the front-matter reader (which the
 * test app's first run needs) they were over a third of the server's start-up time. A fresh Node loads everything
 * the server's composition loads, answers a page, and lists which of them it loaded.
 */
const LAZY = ['@img/sharp', 'xmlbuilder2', 'highlight.js'];

const script = `
import fs from 'node:fs';
import { createRequire } from 'node:module';
import request from 'supertest';
import { makeTestApp } from './test/support/app.ts';
const t = makeTestApp();
await request(t.app).get('/').expect(200);
// CommonJS files in require's cache; native libraries (sharp's) in the process's memory map.
const loaded = [...Object.keys(createRequire(import.meta.url).cache), ...fs.readFileSync('/proc/self/maps', 'utf8').split('\\n')];
console.log(JSON.stringify(${JSON.stringify(LAZY)}.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name)))));
t.close();
`;

describe('start-up', () => {
  it('does not load the image and feed-writing libraries until something needs them', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([]);
  });
});
