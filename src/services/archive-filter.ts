import { DateTime } from 'luxon';
import type { Taxonomy } from '../models.js';
import type { ListingFilter } from '../repositories/listing-window.js';
import type { TermsRepository } from '../repositories/terms.js';
import type { UsersRepository } from '../repositories/users.js';

export type Archive =
  | { kind: 'home' }
  | { kind: 'category' | 'tag'; slug: string }
  | { kind: 'author'; login: string }
  | { kind: 'year'; year: string }
  | { kind: 'month'; year: string; month: string }
  | { kind: 'day'; year: string; month: string; day: string };

/** The posts an archive lists, and what it is of: the term's or author's name, or the first instant of the period. */
export interface ResolvedArchive {
  filter: ListingFilter;
  subject?: string;
}

export interface ArchiveFilterDeps {
  terms: Pick<TermsRepository, 'categoryTree' | 'findBySlug'>;
  users: Pick<UsersRepository, 'findByLogin'>;
  /** The blog's time zone: a month's archive is that month on the blog's calendar. */
  timeZone: () => string;
}

/** The ids of a category's descendants, however deep (a loop in the data is walked once). */
function descendants(tree: { id: number; parentId: number | null }[], id: number): number[] {
  const children = new Map<number, number[]>();
  for (const term of tree) {
    if (term.parentId !== null) children.set(term.parentId, [...(children.get(term.parentId) ?? []), term.id]);
  }
  const found = new Set<number>([id]);
  const queue = [id];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  found.delete(id);
  return [...found];
}

/** Resolves an archive to its query filter and subject; null when it names nothing. */
export function createArchiveFilter({ terms, users, timeZone }: ArchiveFilterDeps): (archive: Archive) => ResolvedArchive | null {
  return (archive) => {
    switch (archive.kind) {
      case 'home':
        return { filter: { kind: 'all' } };
      case 'category':
      case 'tag': {
        const term = terms.findBySlug(archive.kind as Taxonomy, archive.slug);
        if (!term) return null;
        // As WordPress: a category's archive lists its descendants' posts too.
        const subtree = archive.kind === 'category' ? descendants(terms.categoryTree(), term.id) : [];
        return { filter: subtree.length ? { kind: 'terms', termIds: [term.id, ...subtree] } : { kind: 'term', termId: term.id }, subject: term.name };
      }
      case 'author': {
        const user = users.findByLogin(archive.login);
        return user ? { filter: { kind: 'author', authorId: user.id }, subject: user.displayName } : null;
      }
      case 'year':
      case 'month':
      case 'day': {
        const start = DateTime.fromObject(
          { year: Number(archive.year), month: archive.kind === 'year' ? 1 : Number(archive.month), day: archive.kind === 'day' ? Number(archive.day) : 1 },
          { zone: timeZone() },
        );
        // 31 February is no day.
        if (!start.isValid) return null;
        const end = start.plus(archive.kind === 'day' ? { days: 1 } : archive.kind === 'month' ? { months: 1 } : { years: 1 });
        const from = start.toUTC().toISO()!;
        return { filter: { kind: 'range', from, to: end.toUTC().toISO()! }, subject: from };
      }
    }
  };
}
