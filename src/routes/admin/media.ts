import { Router } from 'express';
import type { AdminDeps } from './index.js';

/** Paths (inside /admin) whose multipart forms this router parses and checks the CSRF token of itself. */
export const UPLOAD_PATHS = ['/media/'];

export function mediaRouter(_deps: AdminDeps): Router {
  return Router();
}
