import type { Language } from '../models.js';
import { en, type MessageKey } from './en.js';
import { id } from './id.js';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What a service wants said to the user, without knowing the language: a key, with values for its {placeholders}. */
export type Message = MessageKey | { key: MessageKey; params: Record<string, string | number> };

/** BCP 47 locale for Intl formatting. */
export const localeOf = (language: Language) => (language === 'id' ? 'id-ID' : 'en-US');

const catalogues: Record<Language, Record<MessageKey, string>> = { en, id };

/**
 * A translator for one language: looks a key up and fills its {placeholders}, numbers written the language's way
 * ("1,234" in English, "1.234" in Indonesian). A key of a `.one`/`.many` pair given a numeric `count` says the form
 * Intl.PluralRules picks for the language: Indonesian has no singular form, so it always says `.many`.
 */
export function translator(language: Language): Translate {
  const messages = catalogues[language] ?? en;
  const numbers = new Intl.NumberFormat(localeOf(language));
  const plurals = new Intl.PluralRules(localeOf(language));
  const text = (key: MessageKey, count: unknown): string => {
    const pair = /\.(one|many)$/.exec(key);
    if (!pair || typeof count !== 'number') return messages[key] ?? en[key] ?? key;
    const base = key.slice(0, -pair[0].length);
    const form = `${base}.${plurals.select(count) === 'one' ? 'one' : 'many'}` as MessageKey;
    return messages[form] ?? en[form] ?? messages[key] ?? en[key] ?? key;
  };
  return (key, params) =>
    // An unknown key shows as itself rather than breaking the page; a message without values has nothing to fill.
    params === undefined ? text(key, undefined) : text(key, params.count).replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (!(name in params)) return whole;
      const value = params[name];
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

/** Says a service's message in the translator's language. */
export const say = (t: Translate, message: Message) => (typeof message === 'string' ? t(message) : t(message.key, message.params));

const formatters = new Map<string, (iso: string) => string>();
/** Formatted instants kept per formatter: a few thousand short strings, started afresh when full. */
const FORMATTED_KEPT = 5_000;

/** A formatter for instants as long dates (and times) in a language and time zone, made once and kept. */
export function dateFormatter(language: Language, timeZone: string, withTime = false): (iso: string) => string {
  const key = `${language}|${timeZone}|${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    const intl = new Intl.DateTimeFormat(localeOf(language), { timeZone, dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}) });
    // A page shows the same instants at every render (a thread's comment dates): each is formatted once.
    const said = new Map<string, string>();
    format = (iso) => {
      let text = said.get(iso);
      if (text === undefined) {
        if (said.size >= FORMATTED_KEPT) said.clear();
        said.set(iso, (text = intl.format(new Date(iso))));
      }
      return text;
    };
    formatters.set(key, format);
  }
  return format;
}
