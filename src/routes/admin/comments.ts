import { Router } from 'express';
import type { AdminDeps } from './index.js';

export function commentsAdminRouter(_deps: AdminDeps): Router {
  return Router();
}
