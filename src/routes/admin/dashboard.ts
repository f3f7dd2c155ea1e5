import { Router } from 'express';
import type { AdminDeps } from './index.js';

export function dashboardRouter(_deps: AdminDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => res.render('admin/dashboard', {}));
  return router;
}
