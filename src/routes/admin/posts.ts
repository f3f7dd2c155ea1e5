import { Router } from 'express';
import type { AdminDeps } from './index.js';

export function postsAdminRouter(_deps: AdminDeps): Router {
  return Router();
}
