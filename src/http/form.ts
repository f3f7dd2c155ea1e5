import { notFound } from './errors.js';
import type { Request } from 'express';

/** A text field of a parsed form; anything missing or not a single string reads as empty. */
export const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** Every value of a repeated field (checkboxes), dropping anything that is not a string. */
export const fields = (body: unknown, name: string): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
};

/** A query-string parameter as one string. */
export const queryParam = (req: Request, name: string): string => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');

const ID = /^\d{1,12}$/;

/** A row id as typed into a URL or a form, or null when it is not one. */
export const parseId = (value: unknown): number | null => (typeof value === 'string' && ID.test(value) ? Number(value) : null);

/** The `:id` of the route; anything that is not an id is a page that does not exist. */
export function idParam(req: Request): number {
  const id = parseId(req.params.id);
  if (id === null) throw notFound();
  return id;
}
