import type { Language } from '../models.js';
import { en, type MessageKey } from './en.js';
import { id } from './id.js';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What a service wants said to the user, without knowing the language: a key, with values for its {placeholders}. */
export type Message = MessageKey | { key: MessageKey; params: Record<string, string | number> };

const catalogues: Record<Language, Record<MessageKey, string>> = { en, id };

/** A translator for one language: looks a key up and fills its {placeholders}. */
export function translator(language: Language): Translate {
  const messages = catalogues[language] ?? en;
  return (key, params) =>
    // An unknown key shows as itself rather than breaking the page.
    (messages[key] ?? en[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}

/** Says a service's message in the translator's language. */
export const say = (t: Translate, message: Message) => (typeof message === 'string' ? t(message) : t(message.key, message.params));

/** BCP 47 locale for Intl formatting. */
export const localeOf = (language: Language) => (language === 'id' ? 'id-ID' : 'en-US');

const formatters = new Map<string, (iso: string) => string>();

/** A formatter for instants as long dates (and times) in a language and time zone, made once and kept. */
export function dateFormatter(language: Language, timeZone: string, withTime = false): (iso: string) => string {
  const key = `${language}|${timeZone}|${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    const intl = new Intl.DateTimeFormat(localeOf(language), { timeZone, dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}) });
    format = (iso) => intl.format(new Date(iso));
    formatters.set(key, format);
  }
  return format;
}
