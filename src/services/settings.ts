import { z } from 'zod';
import type { Settings } from '../models.js';
import type { SettingsRepository } from '../repositories/settings.js';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** What each setting may hold, with WordPress's defaults. */
export const settingsSchema = z.object({
  title: z.string().trim().min(1).max(200).default('IMers Blog'),
  tagline: z.string().trim().max(300).default('Catatan seorang newbie IM'),
  language: z.enum(['en', 'id']).default('en'),
  timeZone: z.string().refine(isTimeZone, 'unknown time zone').default('UTC'),
  postsPerPage: z.coerce.number().int().min(1).max(100).default(10),
  // Discussion, as WordPress's Settings → Discussion.
  requireNameEmail: z.boolean().default(true),
  requirePreviouslyApproved: z.boolean().default(true),
  moderationLinks: z.coerce.number().int().min(0).max(100).default(2),
  moderationKeys: z.string().max(20000).default(''),
  disallowedKeys: z.string().max(20000).default(''),
  threadDepth: z.coerce.number().int().min(1).max(10).default(5),
  pageComments: z.boolean().default(false),
  commentsPerPage: z.coerce.number().int().min(1).max(500).default(50),
  closeCommentsAfterDays: z.coerce.number().int().min(0).max(36500).default(0),
  useGravatar: z.boolean().default(true),
  // Media: the largest image an upload may be, in megabytes.
  maxUploadMb: z.coerce.number().int().min(1).max(100).default(8),
});

export interface SettingsService {
  /** The current settings; cheap, read on every request. */
  get(): Settings;
  /** Validates and stores changed settings; returns the field errors if any value is refused. */
  update(values: Partial<Record<keyof Settings, unknown>>): { errors?: Record<string, string> };
}

export function createSettingsService(repo: SettingsRepository): SettingsService {
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

  return {
    get: () => current,
    update(values) {
      const errors: Record<string, string> = {};
      const accepted: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        const schema = settingsSchema.shape[key as keyof Settings];
        if (!schema || value === undefined) continue;
        const parsed = schema.safeParse(value);
        if (parsed.success) accepted[key] = parsed.data;
        else errors[key] = parsed.error.issues[0].message;
      }
      if (Object.keys(errors).length > 0) return { errors };
      repo.set(accepted);
      current = load();
      return {};
    },
  };
}
