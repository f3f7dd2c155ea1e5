import crypto from 'node:crypto';
import { translator, type Message } from '../i18n/index.js';
import type { Mailer } from '../mail/types.js';
import type { User } from '../models.js';
import type { PasswordResetsRepository } from '../repositories/password-resets.js';
import type { UsersRepository } from '../repositories/users.js';
import { escapeHtml } from './markdown.js';
import { hashPasswordAsync } from './passwords.js';
import type { SettingsService } from './settings.js';
import { passwordProblem } from './users.js';

/** A link works for an hour, as WordPress's does by default. */
export const RESET_LINK_MS = 60 * 60_000;
export const RESET_PATH = '/admin/reset-password/';

/** 32 random bytes in base64url: 43 characters. */
const KEY = /^[\w-]{43}$/;
const MAX_EMAIL_LENGTH = 254;

const digest = (key: string) => crypto.createHash('sha256').update(key).digest('hex');

/**
 * Spends one request from the limits on asking for links: always for the typed address, and for the account
 * when one has it. False: over a limit, so nothing is sent (and the visitor is told the same as ever).
 */
export type ResetQuota = (keys: { address: string; account?: number }) => Promise<boolean>;

export type NewPasswordProblems = Partial<Record<'password' | 'repeatPassword', Message>>;

export interface PasswordResetService {
  /** Whether links can be sent at all (email is configured). */
  readonly available: boolean;
  /**
   * Mails a link to the account with this email, if there is one and the limits allow; the caller answers the
   * same either way, and the work is the same but for the two inserts of a real request.
   */
  request(email: string, quota: ResetQuota): Promise<void>;
  /** Whether a link still works; reading it changes nothing (mail scanners open links). */
  isLive(key: string): boolean;
  /** Sets the password and spends the link; the account, so the caller can end its sessions. */
  reset(key: string, password: string, repeat: string): Promise<{ user: User } | { errors: NewPasswordProblems } | 'invalid'>;
}

export interface PasswordResetDeps {
  resets: PasswordResetsRepository;
  users: UsersRepository;
  mailer: Mailer;
  settings: SettingsService;
  transaction: <T>(fn: () => T) => T;
  now: () => Date;
}

export function createPasswordReset({ resets, users, mailer, settings, transaction, now }: PasswordResetDeps): PasswordResetService {
  function message(to: string, key: string) {
    const { language, title } = settings.get();
    const t = translator(language);
    const link = `${settings.siteUrl()}${RESET_PATH}?key=${key}`;
    const lines = [t('admin.passwordReset.mail.asked', { site: title, email: to }), t('admin.passwordReset.mail.open'), t('admin.passwordReset.mail.notYou')];
    return {
      kind: 'password-reset' as const,
      to,
      subject: t('admin.passwordReset.mail.subject', { site: title }),
      text: `${lines[0]}\n\n${lines[1]}\n${link}\n\n${lines[2]}\n`,
      html: `<p>${escapeHtml(lines[0])}</p>\n<p>${escapeHtml(lines[1])}<br>\n<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>\n<p>${escapeHtml(lines[2])}</p>\n`,
    };
  }

  const liveAt = () => now().toISOString();

  return {
    get available() {
      return mailer.enabled;
    },
    async request(email, quota) {
      const address = email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH);
      // Made for every request, known address or not, so the answer takes as long either way.
      const key = crypto.randomBytes(32).toString('base64url');
      const tokenHash = digest(key);
      const user = address ? users.findByEmail(address) : undefined;
      const allowed = await quota({ address, account: user?.id });
      if (!user?.email || !allowed || !mailer.enabled) return;
      const at = now();
      transaction(() => {
        resets.save({ userId: user.id, tokenHash, expiresAt: new Date(at.getTime() + RESET_LINK_MS).toISOString(), createdAt: at.toISOString() });
        mailer.queue(message(user.email!, key));
      });
    },
    isLive: (key) => KEY.test(key) && resets.findLive(digest(key), liveAt()) !== undefined,
    async reset(key, password, repeat) {
      if (!KEY.test(key) || resets.findLive(digest(key), liveAt()) === undefined) return 'invalid';
      const errors: NewPasswordProblems = {};
      const problem = passwordProblem(password);
      if (problem) errors.password = problem;
      else if (repeat !== password) errors.repeatPassword = 'admin.profile.repeatMismatch';
      if (Object.keys(errors).length) return { errors };
      const hash = await hashPasswordAsync(password);
      // Spent and set together: a second request with the same link, racing this one, finds nothing to spend.
      const userId = transaction(() => {
        const id = resets.spend(digest(key), liveAt());
        if (id !== undefined) users.setPasswordHash(id, hash);
        return id;
      });
      const user = userId === undefined ? undefined : users.findById(userId);
      return user ? { user } : 'invalid';
    },
  };
}
