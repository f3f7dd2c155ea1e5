import fs from 'node:fs';
import path from 'node:path';
import { parseSync } from 'oxc-parser';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

interface Found {
  file: string;
  regex?: { pattern: string; flags: string };
  dynamic?: true;
}

/** Every regular expression in src/: literals, and `RegExp(...)` calls (whose pattern no tool can check). */
function regexesIn(file: string): Found[] {
  const { program } = parseSync(file, fs.readFileSync(file, 'utf8'));
  const found: Found[] = [];
  const rel = path.relative(projectRoot, file);
  JSON.stringify(program, (_key, node) => {
    if (node?.type === 'Literal' && node.regex) found.push({ file: rel, regex: node.regex });
    if ((node?.type === 'NewExpression' || node?.type === 'CallExpression') && node.callee?.name === 'RegExp') found.push({ file: rel, dynamic: true });
    return node;
  });
  return found;
}

describe('regular expressions in src/', () => {
  const all = sourceFiles(path.join(projectRoot, 'src')).flatMap(regexesIn);

  it('finds the regexes (the scan works)', () => {
    expect(all.filter((r) => r.regex).length).toBeGreaterThan(20);
  });

  it('are all linear in their input, as recheck proves (no catastrophic or polynomial backtracking)', () => {
    const unsafe = all
      .filter((r) => r.regex)
      .map((r) => ({ ...r, result: checkSync(r.regex!.pattern, r.regex!.flags) }))
      .filter((r) => r.result.status !== 'safe')
      .map((r) => `${r.file}: /${r.regex!.pattern}/${r.regex!.flags} is ${r.result.status}`);
    expect(unsafe).toEqual([]);
  });

  it('are never built at run time from strings, which could not be checked', () => {
    expect(all.filter((r) => r.dynamic).map((r) => r.file)).toEqual([]);
  });
});
