import type { BlockKind, FediBlocksRepository } from '../repositories/fedi-blocks.js';
import type { FediCommentAuthorsRepository } from '../repositories/fedi-comment-authors.js';

export type { BlockKind };

/** Lines read as blocks: the values to store, and each line that is neither an account nor a host, as typed. */
export interface ReadLines {
  values: string[];
  invalid: string[];
}

const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** A host name as the block list keeps it (lowercase, an IDN in its xn-- form), or null when it is not one. */
export function normaliseDomain(text: string): string | null {
  const line = text.trim().toLowerCase();
  if (!line || line.length > 253 || /[^\p{L}\p{N}.-]/u.test(line) || !URL.canParse(`https://${line}`)) return null;
  const host = new URL(`https://${line}`).hostname;
  return HOST.test(host) ? host : null;
}

/**
 * An account as the block list keeps it: `@user@host` (or Mastodon's `user@host`) as `@user@host` in lowercase (Mastodon
 * treats usernames without regard to case), an actor's http(s) URL as given; null when it is neither.
 */
export function normaliseAccount(text: string): string | null {
  const line = text.trim();
  const handle = /^@?([\p{L}\p{N}_.-]{1,100})@([^@\s]{1,253})$/u.exec(line);
  if (handle) {
    const host = normaliseDomain(handle[2]);
    return host ? `@${handle[1].toLowerCase()}@${host}` : null;
  }
  if (line.length > 2000 || /\s/.test(line) || !URL.canParse(line)) return null;
  const url = new URL(line);
  return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password ? line : null;
}

const normalise = (kind: BlockKind) => (kind === 'account' ? normaliseAccount : normaliseDomain);

/** Each non-blank line as a block of this kind; duplicates kept once. */
export function readLines(kind: BlockKind, lines: string[]): ReadLines {
  const values = new Set<string>();
  const invalid: string[] = [];
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const value = normalise(kind)(line);
    if (value) values.add(value);
    else invalid.push(line);
  }
  return { values: [...values], invalid };
}

export const splitLines = (text: string): string[] => text.split(/\r\n?|\n/);

/** RFC 4180 records: commas between fields, double quotes around a field holding commas, quotes or line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      records.push([...record, field]), (record = []), (field = '');
    } else field += c;
  }
  records.push([...record, field]);
  return records.filter((r) => r.some((f) => f.trim()));
}

/** The column Mastodon's exports name: `#domain` in a domain block list, `Account address` in an account list. */
const COLUMN: Record<BlockKind, string> = { domain: 'domain', account: 'account_address' };
const columnName = (header: string) => header.trim().replace(/^#/, '').toLowerCase().replace(/ /g, '_');

/**
 * An uploaded list's lines: a Mastodon-style CSV export (the `#domain` or `account_address` column, found by its
 * header) or a plain list, one a line (Mastodon's own exports of blocked accounts and domains have no header).
 */
export function importedLines(kind: BlockKind, text: string): string[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const column = records[0]?.map(columnName).indexOf(COLUMN[kind]) ?? -1;
  return column >= 0 ? records.slice(1).map((r) => r[column] ?? '') : records.map((r) => r[0]);
}

/** Who wrote a Fediverse reply, as the comments screen marks it. */
export interface FediAuthor {
  /** The actor URI, when known: "Block this account" needs it. */
  actorUri: string | null;
  /** The instance, from the actor URI (or else the Note's id): "Block this instance" blocks it. */
  host: string;
}

const hostOf = (uri: string | null) => (uri && URL.canParse(uri) ? normaliseDomain(new URL(uri).hostname) : null);

export interface FediBlocks {
  /** Whether replies, follows and reactions from this actor are dropped; F5 passes the reply's handle too when it knows it. */
  isBlocked(actorUri: string, handle?: string): boolean;
  /** Blocks an account given as `@user@host` or an actor URL; false when it is neither. */
  blockAccount(account: string): boolean;
  /** Blocks an instance (and its subdomains) by host name; false when it is not one. */
  blockDomain(host: string): boolean;
  unblock(kind: BlockKind, value: string): boolean;
  list(): { accounts: string[]; domains: string[] };
  /** The lines of a typed list (one block a line) that are neither an account nor an instance as `kind` asks. */
  invalidIn(kind: BlockKind, text: string): string[];
  /** The blocks of this kind become the typed list's, one a line; nothing is stored, and the bad lines are returned, if any is refused. */
  replace(kind: BlockKind, text: string): { invalid: string[] };
  /** Adds the given lines' blocks to the ones there (an imported list); nothing is stored if any line is refused. */
  add(kind: BlockKind, lines: string[]): { added: number; invalid: string[] };
  /** Adds the blocks of an uploaded list: a Mastodon CSV export or a plain list. */
  importList(kind: BlockKind, text: string): { added: number; invalid: string[] };
  /** The Fediverse authors of those of the given comments that came from the Fediverse, by comment id. */
  authorsOf(commentIds: number[]): Map<number, FediAuthor>;
  /** Blocks the author of a Fediverse reply, or their instance; the value blocked, or null when the comment is not one. */
  blockAuthor(commentId: number, kind: BlockKind): string | null;
}

export interface FediBlocksDeps {
  repo: FediBlocksRepository;
  authors: FediCommentAuthorsRepository;
  now: () => Date;
}

export function createFediBlocks({ repo, authors, now }: FediBlocksDeps): FediBlocks {
  const time = () => now().getTime();
  const block = (kind: BlockKind, text: string) => {
    const value = normalise(kind)(text);
    if (value) repo.addAll(kind, [value], time());
    return value !== null;
  };
  const authorsOf = (ids: number[]) => {
    const found = new Map<number, FediAuthor>();
    for (const { commentId, actorUri, objectId } of authors.forComments(ids)) {
      const host = hostOf(actorUri) ?? hostOf(objectId);
      if (host) found.set(commentId, { actorUri, host });
    }
    return found;
  };
  return {
    authorsOf,
    blockAuthor(commentId, kind) {
      const author = authorsOf([commentId]).get(commentId);
      const value = kind === 'account' ? author?.actorUri : author?.host;
      if (!value) return null;
      repo.addAll(kind, [value], time());
      return value;
    },
    isBlocked: (actorUri, handle) => repo.isBlocked(actorUri, handle),
    blockAccount: (account) => block('account', account),
    blockDomain: (host) => block('domain', host),
    unblock: (kind, value) => repo.unblock(kind, value),
    list: () => ({ accounts: repo.list('account'), domains: repo.list('domain') }),
    replace(kind, text) {
      const { values, invalid } = readLines(kind, splitLines(text));
      if (invalid.length === 0) repo.replace(kind, values, time());
      return { invalid };
    },
    invalidIn: (kind, text) => readLines(kind, splitLines(text)).invalid,
    importList(kind, text) {
      return this.add(kind, importedLines(kind, text));
    },
    add(kind, lines) {
      const { values, invalid } = readLines(kind, lines);
      if (invalid.length > 0) return { added: 0, invalid };
      const before = repo.list(kind).length;
      repo.addAll(kind, values, time());
      return { added: repo.list(kind).length - before, invalid };
    },
  };
}
