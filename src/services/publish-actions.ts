import { DateTime } from 'luxon';
import type { MessageKey } from '../i18n/index.js';
import type { Post, PostStatus } from '../models.js';

export const FORM_MINUTE = "yyyy-LL-dd'T'HH:mm";

/** An instant as the editor's datetime-local field shows it, in the site's time zone. */
export const localMinute = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone).toFormat(FORM_MINUTE);

/** What the field takes: its own form, and the one its error message shows as an example (a space for the T). */
const TYPED_FORMS = [FORM_MINUTE, `${FORM_MINUTE}:ss`, 'yyyy-LL-dd HH:mm', 'yyyy-LL-dd HH:mm:ss'];

/**
 * The UTC instant a datetime-local field's text names in the site's time zone (seconds optional, a space or a T
 * between the date and the time), null when empty, 'invalid' for anything looser ("10:00" alone, week dates, years
 * outside 1970-9999).
 */
export function parseFormTime(typed: string, zone: string): string | null | 'invalid' {
  const text = typed.trim();
  if (!text) return null;
  const parsed = TYPED_FORMS.map((f) => DateTime.fromFormat(text, f, { zone })).find((d) => d.isValid);
  if (!parsed || parsed.year < 1970 || parsed.year > 9999) return 'invalid';
  return parsed.toUTC().toISO();
}

/** What the Publish panel's primary button says; it always asks the server to publish (a future date schedules). */
export type PrimaryAction = 'publish' | 'schedule' | 'update';

/** Only these statuses go public by themselves or are public: they leave it by "Switch to draft", never by a save. */
export const isLive = (status: PostStatus | undefined) => status === 'published' || status === 'scheduled';

/**
 * WordPress's rule for the primary button (post.js updateText): Schedule for a future date unless the item is
 * already scheduled, Publish for a past or empty date unless it is already published, Update otherwise.
 * public/js/admin-editor.js applies the same rule as the date is typed.
 */
export function primaryAction(post: Pick<Post, 'status'> | undefined, publishAt: string, zone: string, now: Date): PrimaryAction {
  const at = parseFormTime(publishAt, zone);
  const future = typeof at === 'string' && at !== 'invalid' && at > now.toISOString();
  const original = post?.status ?? 'draft';
  if (future && original !== 'scheduled') return 'schedule';
  if (!future && original !== 'published') return 'publish';
  return 'update';
}

const EDITABLE_STATUSES = ['draft', 'published', 'scheduled'] as const;

/** Why a save's status or date was refused, by the form field it concerns. */
export type TimingError = { status: MessageKey } | { publishAt: MessageKey };

/**
 * The status and publication time a save asks for (`published`: the Publish button; `draft`: Save draft), worked out
 * the way WordPress does: a future date schedules the post. A published or scheduled post becomes a draft only through
 * Switch to draft, never by a save.
 */
export function publishTiming(
  requested: string, publishAt: string, existing: Post | undefined, zone: string, now: Date,
): { status: PostStatus; publishedAt: string | null } | { error: TimingError } {
  const status = requested as (typeof EDITABLE_STATUSES)[number];
  if (!EDITABLE_STATUSES.includes(status)) return { error: { status: 'admin.posts.error.status' } };
  if (status === 'draft' && isLive(existing?.status)) return { error: { status: 'admin.posts.error.useSwitchToDraft' } };
  let at: string | null = null;
  const typed = publishAt.trim();
  if (typed && existing?.publishedAt && typed === localMinute(existing.publishedAt, zone)) {
    at = existing.publishedAt; // unchanged in the form: keep the seconds the minute-wide field cannot show
  } else {
    const parsed = parseFormTime(typed, zone);
    if (parsed === 'invalid') return { error: { publishAt: 'admin.posts.error.publishAt' } };
    at = parsed;
  }
  const nowIso = now.toISOString();
  if (status === 'scheduled') {
    if (!at || at <= nowIso) return { error: { publishAt: 'admin.posts.error.scheduleInPast' } };
    return { status: 'scheduled', publishedAt: at };
  }
  if (status === 'published') {
    const when = at ?? (existing?.status === 'published' ? existing.publishedAt : null) ?? nowIso;
    return { status: when > nowIso ? 'scheduled' : 'published', publishedAt: when };
  }
  return { status: 'draft', publishedAt: at ?? existing?.publishedAt ?? null };
}
