import type { CommentStatus, Settings } from '../models.js';

export const LIMITS = { name: 245, email: 100, url: 200, text: 65525 } as const;
export const FLOOD_SECONDS = 15;
/** A person needs at least this long to read a post and type; bots post at once. */
export const MIN_SECONDS_TO_COMMENT = 3;

// Dots split the domain unambiguously, so the match is linear in the input.
const EMAIL = /^[^\s@<>()]+@[^\s@<>().]+(?:\.[^\s@<>().]+)+$/;

/** A website as WordPress keeps it: http(s) only, "example.org" read as http://example.org. Null if unusable. */
export function normalizeUrl(raw: string): string | null {
  const value = raw.trim();
  if (!value) return '';
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `http://${value}`;
  if (!URL.canParse(withScheme)) return null;
  const url = new URL(withScheme);
  // A real host name (IDNs arrive as punycode): letters, digits, dots and hyphens, with a dot in it.
  const hostOk = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !hostOk) return null;
  return url.href;
}

export const isEmail = (value: string) => EMAIL.test(value);

// Spaces and characters that draw nothing (zero-width spaces, joiners, fillers): a comment of only these looks empty.
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}]/u;

/**
 * Whether sanitized comment HTML shows any text once its tags are gone (`<p><b> </b></p>` shows none). The
 * sanitizer escapes every `<` and `>` that is not a tag's and writes every entity as its character but `&amp;`,
 * `&lt;` and `&gt;`, which show; so dropping the tags leaves the text. `[^<>]` keeps the match linear.
 */
export const hasVisibleText = (sanitizedHtml: string) => VISIBLE.test(sanitizedHtml.replace(/<[^<>]*>/g, ''));

/** The words of a moderation or disallowed list: one per line, as WordPress keeps them. */
const listWords = (list: string) => list.split('\n').map((w) => w.trim().toLowerCase()).filter(Boolean);

const mentions = (list: string, fields: string[]) => {
  const haystack = fields.join('\n').toLowerCase();
  return listWords(list).some((word) => haystack.includes(word));
};

/** How many links a sanitized comment holds (the moderation settings hold one with too many). */
export const linkCount = (bodyHtml: string) => (bodyHtml.match(/<a\s/g) ?? []).length;

export interface StatusFacts {
  name: string;
  email: string;
  url: string;
  text: string;
  ip: string;
  linkCount: number;
  previouslyApproved: boolean;
  /** A guest typed the email of one of the blog's accounts: only that person, logged in, speaks for it. */
  usesAccountEmail: boolean;
  /** The hidden field only bots fill. */
  filledHoneypot: boolean;
  /** Posted sooner after the page was shown than a person can type, or with a missing or forged token. */
  tooFast: boolean;
}

/**
 * WordPress's order: disallowed words (and the honeypot) → spam; then a too-quick submit, an account's email
 * typed by a guest, moderation words, links, first-time authors → pending. A too-quick person (a draft back from a login) is held, not binned.
 */
export function decideStatus(facts: StatusFacts, settings: Settings): CommentStatus {
  const fields = [facts.name, facts.email, facts.url, facts.text, facts.ip];
  if (facts.filledHoneypot || mentions(settings.disallowedKeys, fields)) return 'spam';
  if (facts.tooFast || facts.usesAccountEmail || mentions(settings.moderationKeys, fields)) return 'pending';
  if (settings.moderationLinks > 0 && facts.linkCount >= settings.moderationLinks) return 'pending';
  if (settings.requirePreviouslyApproved && !facts.previouslyApproved) return 'pending';
  return 'approved';
}
