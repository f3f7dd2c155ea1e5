import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers: a strict CSP (no inline script), no sniffing, no framing, HSTS on https.
 * `formTargets` are the login providers' sign-in origins: browsers apply form-action to the
 * redirects of a form submission, and the login buttons are form buttons.
 */
export function securityHeaders(https: boolean, formTargets: string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...formTargets],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 15552000 } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
