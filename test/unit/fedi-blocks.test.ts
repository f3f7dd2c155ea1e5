import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createFediBlocks, importedLines, splitLines } from '../../src/fediverse/blocks.js';
import { migrationsDir } from '../../src/paths.js';
import { createFediBlocksRepository } from '../../src/repositories/fedi-blocks.js';
import { createFediCommentAuthorsRepository } from '../../src/repositories/fedi-comment-authors.js';

function blocks() {
  const db = new Database(':memory:');
  migrate(db, migrationsDir);
  return createFediBlocks({ repo: createFediBlocksRepository(db), authors: createFediCommentAuthorsRepository(db), now: () => new Date('2026-01-01T00:00:00Z') });
}

describe('Fediverse blocks', () => {
  it('matches a blocked actor URL exactly, and nobody else on that instance', () => {
    const b = blocks();
    expect(b.blockAccount('https://social.example/users/troll')).toBe(true);
    expect(b.isBlocked('https://social.example/users/troll')).toBe(true);
    expect(b.isBlocked('https://social.example/users/friend')).toBe(false);
  });

  it('matches an account blocked by handle through the handle the reply came with, whatever its case', () => {
    const b = blocks();
    expect(b.blockAccount('@Troll@Social.Example')).toBe(true);
    expect(b.list().accounts).toEqual(['@troll@social.example']);
    expect(b.isBlocked('https://social.example/users/troll', '@troll@social.example')).toBe(true);
    expect(b.isBlocked('https://social.example/users/troll', 'TROLL@social.example')).toBe(true);
    // Without the handle the actor URI alone does not name it.
    expect(b.isBlocked('https://social.example/users/troll')).toBe(false);
    expect(b.isBlocked('https://social.example/users/friend', '@friend@social.example')).toBe(false);
  });

  it('blocks an instance with its subdomains, but not a look-alike domain', () => {
    const b = blocks();
    expect(b.blockDomain('Bad.Example')).toBe(true);
    expect(b.isBlocked('https://bad.example/users/a')).toBe(true);
    expect(b.isBlocked('https://media.eu.bad.example/users/a')).toBe(true);
    expect(b.isBlocked('https://notbad.example/users/a')).toBe(false);
    expect(b.isBlocked('https://bad.example.org/users/a')).toBe(false);
    // An account whose handle lives on the blocked domain while its server has another name.
    expect(b.isBlocked('https://server.elsewhere/users/a', '@a@bad.example')).toBe(true);
  });

  it('refuses what is neither an account nor a host, storing nothing, and names the lines', () => {
    const b = blocks();
    expect(b.replace('domain', ['good.example', 'not a host', 'http://x.example/path', '  '].join('\n'))).toEqual({ invalid: ['not a host', 'http://x.example/path'] });
    expect(b.list().domains).toEqual([]);
    expect(b.replace('account', ['@a@b.example', 'javascript:alert(1)', 'nobody', '@x@'].join('\n'))).toEqual({ invalid: ['javascript:alert(1)', 'nobody', '@x@'] });
    expect(b.blockAccount('ftp://x.example/u')).toBe(false);
    expect(b.list().accounts).toEqual([]);
  });

  it('replaces a list, and unblocks', () => {
    const b = blocks();
    b.replace('domain', ['a.example', 'b.example'].join('\n'));
    b.replace('domain', ['b.example', 'c.example', 'C.example'].join('\n'));
    expect(b.list().domains).toEqual(['b.example', 'c.example']);
    expect(b.unblock('domain', 'b.example')).toBe(true);
    expect(b.isBlocked('https://b.example/u')).toBe(false);
    expect(b.isBlocked('https://c.example/u')).toBe(true);
  });

  it("reads Mastodon's CSV exports by their column, and plain lists", () => {
    const domains = '#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\r\nspam.example,suspend,false,false,"spam, lots, ""really""",false\r\nbad.example,silence,true,false,,false\r\n';
    expect(importedLines('domain', domains)).toEqual(['spam.example', 'bad.example']);
    expect(importedLines('account', 'Account address,Hide notifications\ntroll@social.example,true\n')).toEqual(['troll@social.example']);
    expect(importedLines('account', '\uFEFFtroll@social.example\n@other@x.example\n')).toEqual(['troll@social.example', '@other@x.example']);
    expect(importedLines('domain', splitLines('a.example\nb.example').join('\n'))).toEqual(['a.example', 'b.example']);
    const b = blocks();
    expect(b.add('account', importedLines('account', 'account_address\ntroll@Social.example\n'))).toEqual({ added: 1, invalid: [] });
    expect(b.list().accounts).toEqual(['@troll@social.example']);
  });
});
