import type { Request, Response } from 'express';
import { pagedPath } from '../permalinks.js';
import { notFound } from '../http/errors.js';

/**
 * The page number of a paged listing URL. Page 1 written out (/page/1/) redirects to the listing itself;
 * 0, negatives and words are not pages. Returns null when a redirect was sent.
 */
export function pageParam(req: Request, res: Response, base: string): number | null {
  const raw = req.params.page as string | undefined;
  if (raw === undefined) return 1;
  if (!/^[1-9]\d{0,6}$/.test(raw)) throw notFound();
  const page = Number(raw);
  if (page === 1) {
    res.redirect(301, base);
    return null;
  }
  return page;
}

export interface Pagination {
  page: number;
  totalPages: number;
  newer?: string;
  older?: string;
}

/** Links to the neighbouring pages of a listing, newest first as WordPress orders them. */
export function pagination(base: string, page: number, totalPages: number): Pagination {
  return {
    page,
    totalPages,
    newer: page > 1 ? pagedPath(base, page - 1) : undefined,
    older: page < totalPages ? pagedPath(base, page + 1) : undefined,
  };
}
