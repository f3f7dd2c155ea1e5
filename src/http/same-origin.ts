import type { RequestHandler } from 'express';
import { forbidden } from './errors.js';

/**
 * Cross-site POST protection without a per-visitor token, so anonymous pages stay cacheable
 * (the approach of Go's CrossOriginProtection): browsers say where a request comes from in
 * Sec-Fetch-Site, older ones in Origin; requests without either come from no browser page.
 */
export function sameOriginOnly(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req, _res, next) => {
    const site = req.get('sec-fetch-site');
    if (site) {
      if (site === 'same-origin' || site === 'none') return next();
      throw forbidden('Cross-site request refused');
    }
    const origin = req.get('origin');
    if (!origin || origin === publicOrigin || origin === `${req.protocol}://${req.get('host')}`) return next();
    throw forbidden('Cross-site request refused');
  };
}
