import crypto from 'node:crypto';
import type { Message } from '../i18n/index.js';
import { sanitizeComment } from './comment-html.js';
import { hasVisibleText, isEmail, LIMITS, normalizeUrl } from './comment-rules.js';

export type CommentField = 'name' | 'email' | 'url' | 'text' | 'form';
/** What is wrong with each field, as a message for the page to say in the site's language. */
export type FieldErrors = Partial<Record<CommentField, Message>>;

/** What a commenter typed (or what their account gives for them). */
export interface TypedFields {
  name: string;
  email: string;
  url: string;
  text: string;
}

/** The fields as stored: trimmed, the email lowercased, the address normalized, the text sanitized. */
export interface CleanFields {
  name: string;
  email: string;
  url: string;
  body: string;
  bodyHtml: string;
}

const trimmed = (value: string) => value.replace(/\0/g, '').trim();

/** The hash Gravatar looks a commenter's email up by. */
export const avatarHash = (email: string) => (email ? crypto.createHash('sha256').update(email).digest('hex') : '');

/** A comment's fields checked against the limits and the site's rule on name and email, and cleaned for storing. */
export function checkFields(typed: TypedFields, requireNameEmail: boolean): CleanFields & { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = trimmed(typed.name);
  const email = trimmed(typed.email).toLowerCase();
  const body = trimmed(typed.text);
  const url = normalizeUrl(trimmed(typed.url));
  if (requireNameEmail && !name) errors.name = 'comments.error.nameMissing';
  else if (name.length > LIMITS.name) errors.name = { key: 'comments.error.nameTooLong', params: { max: LIMITS.name } };
  if (requireNameEmail && !email) errors.email = 'comments.error.emailMissing';
  else if (email && (email.length > LIMITS.email || !isEmail(email))) errors.email = 'comments.error.emailInvalid';
  if (url === null || (url && url.length > LIMITS.url)) errors.url = { key: 'comments.error.urlInvalid', params: { max: LIMITS.url } };
  const bodyHtml = body && body.length <= LIMITS.text ? sanitizeComment(body) : '';
  if (!body) errors.text = 'comments.error.textMissing';
  else if (body.length > LIMITS.text) errors.text = { key: 'comments.error.textTooLong', params: { max: LIMITS.text } };
  else if (!hasVisibleText(bodyHtml)) errors.text = 'comments.error.textEmpty';
  return { errors, name, email, url: url ?? '', body, bodyHtml };
}
