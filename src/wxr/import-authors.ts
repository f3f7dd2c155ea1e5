import { slugFrom } from '../services/slugs.js';
import type { ImportContext } from './import-summary.js';
import type { WxrAuthor } from './types.js';
import { text } from './wordpress-values.js';

/**
 * The file's authors as accounts here: one already imported, or with the same email, is used as it is; a new one
 * gets a free login. Posts name their author by login, which may be missing from the file's list of authors.
 */
export function importAuthors(ctx: ImportContext) {
  const { repo } = ctx;
  const userByLogin = new Map<string, number>();

  const freeLogin = (wanted: string) => {
    const base = slugFrom(wanted) || 'author';
    let login = base;
    for (let n = 2; repo.userByLogin(login) !== undefined; n++) login = `${base}-${n}`;
    return login;
  };

  const author = (login: string, email: string, displayName: string, wpId: number) => {
    const imported = wpId > 0 ? repo.origin(ctx.site, 'user', wpId) : undefined;
    const known = imported ?? repo.userByEmail(email);
    if (known !== undefined) {
      ctx.skip('authors', imported !== undefined ? 'already imported' : 'matched to an account here by email');
      userByLogin.set(login, known);
      repo.addOrigin(ctx.site, 'user', wpId, null, known);
      return;
    }
    const id = repo.addUser(freeLogin(login), displayName || login, email || null);
    repo.addOrigin(ctx.site, 'user', wpId, null, id);
    userByLogin.set(login, id);
    ctx.summary.imported.authors += 1;
  };

  return {
    /** An author of the file's list, in a transaction of its own. */
    add: (record: WxrAuthor) =>
      repo.transaction(() => author(record.login, record.email.trim().toLowerCase(), text(record.displayName), record.id)),
    /** The account of a post's author login; without one, the blog's first administrator (made if there is none). */
    idOf(login: string): number {
      const known = userByLogin.get(login);
      if (known !== undefined) return known;
      if (!login) return repo.firstAdministrator() ?? repo.addUser('wordpress', 'WordPress', null);
      author(login, '', login, 0);
      return userByLogin.get(login)!;
    },
  };
}
