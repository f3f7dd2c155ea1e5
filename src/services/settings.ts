import { z } from 'zod';
import type { Message } from '../i18n/index.js';
import type { Settings } from '../models.js';
import type { SettingsRepository } from '../repositories/settings.js';
import { trimTrailing } from '../text.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

/** Every IANA zone the runtime knows, UTC first: the choices of the time zone setting. */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

/** A zone name as Intl spells it ("asia/jakarta" → "Asia/Jakarta"), or null when unknown. */
const canonicalZone = (zone: string): string | null => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};

/**
 * Why a value is refused, as a catalogue message for a screen to say in the site's language. zod carries it as its
 * issue text: the key, then `|` and the values of its placeholders as JSON.
 */
const refusal = (message: Message) => (typeof message === 'string' ? message : `${message.key}|${JSON.stringify(message.params)}`);

/** Back from zod's issue text; zod's own sentences (a value of the wrong type, which no form sends) read as "invalid". */
function messageOf(issue: string): Message {
  const [key, params] = issue.split(/\|(.*)/s);
  if (!key.startsWith('admin.settings.error.')) return 'admin.settings.error.invalid';
  return (params ? { key, params: JSON.parse(params) } : key) as Message;
}

/** A form's digits become a number; anything else ("", "1e3", "0x10") is refused rather than coerced. */
const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = refusal({ key: 'admin.settings.error.wholeNumber', params: { min, max } });
  return z
    .preprocess((v) => (typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v) ? Number(v) : v), z.number({ message }).int(message).min(min, message).max(max, message))
    .default(fallback);
};

/** One word or IP per line, as WordPress keeps the moderation lists; blank lines and stray spaces dropped. */
const wordList = z
  .string()
  .max(20_000, refusal('admin.settings.error.listTooLong'))
  .transform((v) => v.split(/\r\n?|\n/).map((line) => line.trim()).filter(Boolean).join('\n'))
  .default('');

/** An absolute http(s) address without query or fragment, kept without its trailing slash; empty means "as started". */
const siteAddress = z
  .string()
  .trim()
  .max(200, refusal('admin.settings.error.addressTooLong'))
  .refine((v) => {
    if (v === '') return true;
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(v) || !URL.canParse(v)) return false;
    const url = new URL(v);
    return !url.username && !url.password;
  }, refusal('admin.settings.error.address'))
  .transform((v) => {
    if (v === '') return '';
    const url = new URL(v);
    return trimTrailing(`${url.protocol}//${url.host}${url.pathname}`, '/');
  })
  .default('');

const unknownZone = refusal('admin.settings.error.timeZone');

/** What each setting may hold, with WordPress's defaults. */
export const settingsSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, refusal('admin.settings.error.titleMissing'))
    .max(200, refusal('admin.settings.error.titleTooLong'))
    .default('IMers Blog'),
  tagline: z.string().trim().max(300, refusal('admin.settings.error.taglineTooLong')).default('Catatan seorang newbie IM'),
  language: z.enum(['en', 'id'], { message: refusal('admin.settings.error.language') }).default('en'),
  timeZone: z
    .string()
    .max(100, unknownZone)
    .transform((zone, ctx) => canonicalZone(zone) ?? (ctx.addIssue({ code: 'custom', message: unknownZone }), z.NEVER))
    .default('UTC'),
  postsPerPage: wholeNumber(1, 100, 10),
  publicUrl: siteAddress,
  // Discussion, as WordPress's Settings → Discussion.
  requireNameEmail: z.boolean().default(true),
  requirePreviouslyApproved: z.boolean().default(true),
  moderationLinks: wholeNumber(0, 100, 2),
  moderationKeys: wordList,
  disallowedKeys: wordList,
  threadDepth: wholeNumber(1, 10, 5),
  pageComments: z.boolean().default(false),
  commentsPerPage: wholeNumber(1, 500, 50),
  closeCommentsAfterDays: wholeNumber(0, 36_500, 0),
  useGravatar: z.boolean().default(true),
  // Email me whenever anyone posts a comment / a comment is held for moderation (WordPress's, both on).
  commentsNotify: z.boolean().default(true),
  moderationNotify: z.boolean().default(true),
  // Media: the largest image an upload may be, in megabytes.
  maxUploadMb: wholeNumber(1, 100, 8),
  // The Fediverse: on by default, as the blog only answers who asks and only writes to its followers.
  fediverseEnabled: z.boolean().default(true),
  fediverseHandle: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, refusal('admin.settings.error.fediverseHandle'))
    .default('blog'),
});

export interface FediverseAccount {
  user: string;
  host: string;
  /** `@user@host`, as people type it into Mastodon's search. */
  handle: string;
}

export type SettingsInput = Partial<Record<keyof Settings, unknown>>;

export interface SettingsService {
  /** The current settings; cheap, read on every request. */
  get(): Settings;
  /** The address readers' absolute links use: the publicUrl setting, or PUBLIC_URL as the server started. */
  siteUrl(): string;
  /** The blog's Fediverse account: the handle setting's user, the site address's host (with its port, if any). */
  fediverseAccount(): FediverseAccount;
  /** The problems with the given values, by field; empty when all of them may be stored. */
  validate(values: SettingsInput): Record<string, Message>;
  /** Validates and stores changed settings; returns the field errors, storing nothing, if any value is refused. */
  update(values: SettingsInput): { errors?: Record<string, Message> };
}

export function createSettingsService(repo: SettingsRepository, defaultSiteUrl: string, changes: SiteChanges = NO_CHANGES): SettingsService {
  const load = (): Settings => {
    const stored = repo.all();
    // A stored value that no longer validates falls back to its default rather than breaking the site.
    const fields = Object.fromEntries(
      Object.entries(settingsSchema.shape).map(([key, schema]) => {
        const parsed = schema.safeParse(stored[key]);
        return [key, parsed.success ? parsed.data : schema.parse(undefined)];
      }),
    );
    return Object.freeze(fields) as unknown as Settings;
  };
  let current = load();

  const check = (values: SettingsInput) => {
    const errors: Record<string, Message> = {};
    const accepted: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      const schema = settingsSchema.shape[key as keyof Settings];
      if (!schema || value === undefined) continue;
      const parsed = schema.safeParse(value);
      if (parsed.success) accepted[key] = parsed.data;
      else errors[key] = messageOf(parsed.error.issues[0].message);
    }
    return { errors, accepted };
  };

  return {
    get: () => current,
    siteUrl: () => current.publicUrl || defaultSiteUrl,
    fediverseAccount() {
      const user = current.fediverseHandle;
      const { host } = new URL(current.publicUrl || defaultSiteUrl);
      return { user, host, handle: `@${user}@${host}` };
    },
    validate: (values) => check(values).errors,
    update(values) {
      const { errors, accepted } = check(values);
      if (Object.keys(errors).length > 0) return { errors };
      repo.set(accepted);
      current = load();
      // Every page shows some setting (the title, the language, the time zone of its dates…).
      changes.everything();
      return {};
    },
  };
}
