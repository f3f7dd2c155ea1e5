import type { Request } from 'express';
import type { Commenter, User } from '../models.js';

/**
 * One login per browser: either the blog's own author (a User, through /admin/login/) or a visitor known
 * through a provider (a Commenter). The session keeps `user:<id>` or `commenter:<id>`.
 */
export type Account = User | Commenter;

const isUser = (account: Account): account is User => 'role' in account;

export const sessionKeyOf = (account: Account) => (isUser(account) ? `user:${account.id}` : `commenter:${account.id}`);

export function parseSessionKey(key: unknown): { kind: 'user' | 'commenter'; id: number } | null {
  const match = typeof key === 'string' ? /^(user|commenter):(\d{1,12})$/.exec(key) : null;
  return match ? { kind: match[1] as 'user' | 'commenter', id: Number(match[2]) } : null;
}

/** The blog's logged-in author or administrator, if that is who is visiting. */
export const currentUser = (req: Request): User | undefined =>
  req.user && isUser(req.user as Account) ? (req.user as User) : undefined;

/** The visitor logged in with a provider, if that is who is visiting. */
export const currentCommenter = (req: Request): Commenter | undefined =>
  req.user && !isUser(req.user as Account) ? (req.user as Commenter) : undefined;
