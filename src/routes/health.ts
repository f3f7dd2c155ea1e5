import { Router } from 'express';
import type { HealthService } from '../services/health.js';

export const HEALTH_PATH = '/healthz';

/**
 * For monitors and load balancers: 200 while the database answers, 503 when it does not. Mounted before
 * sessions, page locals and rate limits, so a check costs one `SELECT 1` and never fails for their sake.
 */
export function healthRouter(health: HealthService): Router {
  const router = Router();
  router.get(HEALTH_PATH, (_req, res) => {
    const ok = health.databaseAnswers();
    res.set('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'not answering' });
  });
  return router;
}
