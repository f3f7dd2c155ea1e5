import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { id } from '../../src/i18n/id.js';

const I18N = path.resolve(import.meta.dirname, '../../src/i18n');

/** Every catalogue pair: the whole of en and id, and each English file in admin/ and mail/ with its Indonesian sibling. */
async function pairs(): Promise<[string, Record<string, string>, Record<string, string>][]> {
  const found: [string, Record<string, string>, Record<string, string>][] = [['en.ts / id.ts', en, id]];
  for (const dir of ['admin', 'mail']) {
    for (const file of fs.readdirSync(path.join(I18N, dir)).filter((name) => name.endsWith('.en.ts')).sort()) {
      const sibling = file.replace(/\.en\.ts$/, '.id.ts');
      expect(fs.existsSync(path.join(I18N, dir, sibling)), `${dir}/${sibling} is missing`).toBe(true);
      const only = async (name: string) => Object.values(await import(path.join(I18N, dir, name))) as Record<string, string>[];
      const [english] = await only(file);
      const [indonesian] = await only(sibling);
      found.push([`${dir}/${file} / ${sibling}`, english, indonesian]);
    }
  }
  return found;
}

const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

describe('the message catalogues', () => {
  it('give every key in both languages, none empty, with the same {placeholders}', async () => {
    for (const [name, english, indonesian] of await pairs()) {
      const keys = Object.keys(english).sort();
      expect(Object.keys(indonesian).sort(), `${name}: keys differ`).toEqual(keys);
      for (const key of keys) {
        expect(english[key].trim(), `${name}: ${key} is empty in English`).not.toBe('');
        expect(indonesian[key].trim(), `${name}: ${key} is empty in Indonesian`).not.toBe('');
        expect(placeholders(indonesian[key]), `${name}: ${key} has other {placeholders} in Indonesian`).toEqual(placeholders(english[key]));
      }
    }
  });
});
