import { Router } from 'express';
import type { AdminDeps } from './index.js';

export function settingsRouter(_deps: AdminDeps): Router {
  return Router();
}
