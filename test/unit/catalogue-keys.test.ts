import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const I18N = path.resolve(import.meta.dirname, '../../src/i18n');
type Catalogue = Record<string, string>;

/** The one object a catalogue file exports. */
const catalogue = async (file: string) => Object.values(await import(path.join(I18N, file)))[0] as Catalogue;

/** Every language's catalogues beside English's: the whole (`xx.ts`), and each file of admin/ and mail/ (`name.xx.ts`). */
async function pairs(): Promise<[string, Catalogue, Catalogue][]> {
  const languages = fs.readdirSync(I18N).filter((name) => /^[a-z]{2,3}\.ts$/.test(name) && name !== 'en.ts').map((name) => name.slice(0, -3));
  expect(languages).toContain('id');
  const found: [string, Catalogue, Catalogue][] = [];
  for (const language of languages) {
    found.push([`${language}.ts`, await catalogue('en.ts'), await catalogue(`${language}.ts`)]);
    for (const dir of ['admin', 'mail']) {
      for (const file of fs.readdirSync(path.join(I18N, dir)).filter((name) => name.endsWith('.en.ts')).sort()) {
        const sibling = `${dir}/${file.replace(/\.en\.ts$/, `.${language}.ts`)}`;
        expect(fs.existsSync(path.join(I18N, sibling)), `${sibling} is missing`).toBe(true);
        found.push([sibling, await catalogue(`${dir}/${file}`), await catalogue(sibling)]);
      }
    }
  }
  return found;
}

const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

describe('the message catalogues', () => {
  it('give every English key in every language, none empty, with the same {placeholders}', async () => {
    for (const [name, english, other] of await pairs()) {
      const keys = Object.keys(english).sort();
      expect(Object.keys(other).sort(), `${name}: keys differ from English`).toEqual(keys);
      for (const key of keys) {
        expect(english[key].trim(), `${name}: ${key} is empty in English`).not.toBe('');
        expect(other[key].trim(), `${name}: ${key} is empty`).not.toBe('');
        expect(placeholders(other[key]), `${name}: ${key} has other {placeholders} than in English`).toEqual(placeholders(english[key]));
      }
    }
  });
});
