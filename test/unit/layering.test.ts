import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

/** The "who may import what" table of ARCHITECTURE.md, as forbidden import prefixes per folder. */
const FORBIDDEN: Record<string, RegExp[]> = {
  'src/routes/': [/repositories\//, /\/db\//, /^better-sqlite3$/],
  'src/auth/': [/repositories\//, /\/db\//, /^better-sqlite3$/],
  'src/services/': [/^express$/, /\/http\//, /\/routes\//, /^better-sqlite3$/, /\/db\//],
  'src/repositories/': [/services\//, /\/http\//, /\/routes\//],
  'src/db/': [/services\//, /repositories\//, /\/http\//, /\/routes\//],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const importsOf = (source: string) =>
  [...source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);

describe('src/ layering', () => {
  const files = sourceFiles(path.join(projectRoot, 'src')).map((f) => path.relative(projectRoot, f));

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('keeps every import inside the layering table', () => {
    const violations = files.flatMap((file) => {
      const rules = Object.entries(FORBIDDEN).find(([prefix]) => file.startsWith(prefix))?.[1] ?? [];
      return importsOf(fs.readFileSync(path.join(projectRoot, file), 'utf8'))
        .filter((spec) => rules.some((rule) => rule.test(spec)))
        .map((spec) => `${file} imports ${spec}`);
    });
    expect(violations).toEqual([]);
  });

  it('reads process.env only in the entry points: main.ts and the command-line tools', () => {
    const readers = files.filter((f) => fs.readFileSync(path.join(projectRoot, f), 'utf8').includes('process.env'));
    expect(readers.filter((f) => f !== 'src/main.ts' && !f.startsWith('src/cli/'))).toEqual([]);
    expect(readers).toContain('src/main.ts');
  });
});
