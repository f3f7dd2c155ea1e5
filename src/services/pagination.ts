import type { Page } from '../models.js';

/** The window of one page of a listing; null when the page is past the last one. */
export function pageWindow(total: number, page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  if (page < 1 || page > totalPages) return null;
  return { limit: perPage, offset: (page - 1) * perPage, totalPages };
}

export function toPage<T>(items: T[], page: number, totalPages: number, total: number): Page<T> {
  return { items, page, totalPages, total };
}
