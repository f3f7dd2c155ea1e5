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
