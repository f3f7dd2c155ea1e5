import express, { Router, type Request, type Response } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { sessionKeyOf } from '../../auth/identity.js';
import { requireSessionCsrf, sessionCsrfToken } from '../../http/csrf.js';
import { field, queryParam } from '../../http/form.js';
import { limitPerAddress, type Limiters } from '../../http/rate-limit.js';
import { sameOriginOnly } from '../../http/same-origin.js';
import type { NewPasswordProblems, PasswordResetService, ResetQuota } from '../../services/password-reset.js';
import { MIN_PASSWORD_LENGTH } from '../../services/users.js';

export interface PasswordResetRouteDeps {
  passwordReset: PasswordResetService;
  publicUrl: string;
  secret: string;
  limiters: Limiters;
  endOtherSessions: (userKey: string, keepSid: string) => void;
}

const HOUR = 60 * 60_000;

/**
 * Limits on asking for links, counted in SQLite so a restart keeps them: 3 an hour per typed address, 5 a day per
 * account (only requests within the first limit count towards the second: 5 messages). Past either, nothing is sent
 * and the visitor reads the usual answer, so a limit tells nothing either.
 */
function resetQuota(limiters: Limiters): ResetQuota {
  const perAddress = limiters({ name: 'password-reset-email', points: 3, windowMs: HOUR });
  const perAccount = limiters({ name: 'password-reset-account', points: 5, windowMs: 24 * HOUR });
  const spend = (limiter: ReturnType<Limiters>, key: string) =>
    limiter.consume(key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof RateLimiterRes) return false;
        throw err;
      },
    );
  return async ({ address, account }) => (await spend(perAddress, address)) && (account === undefined || (await spend(perAccount, String(account))));
}

/** WordPress's "Lost your password?": /admin/lost-password/ mails a link to /admin/reset-password/?key=…, which sets a new one. */
export function passwordResetRouter({ passwordReset, publicUrl, secret, limiters, endOtherSessions }: PasswordResetRouteDeps): Router {
  const router = Router();
  const sameOrigin = sameOriginOnly(publicUrl);
  const smallForm = express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 });
  // A visitor logged in (a commenter, say) has a session token to send back; anyone else is checked by origin only.
  const csrf = requireSessionCsrf(secret);
  const quota = resetQuota(limiters);

  const renderLost = (req: Request, res: Response, sent: boolean) =>
    res.render('admin/lost-password', { available: passwordReset.available, sent, csrfToken: sessionCsrfToken(req, secret) });

  router.get('/lost-password/', (req, res) => renderLost(req, res, false));

  router.post('/lost-password/', sameOrigin, limitPerAddress(limiters, { name: 'password-reset-address', points: 20, windowMs: HOUR }), smallForm, csrf, async (req, res) => {
    if (passwordReset.available) await passwordReset.request(field(req.body, 'email'), quota);
    renderLost(req, res, true);
  });

  const renderReset = (req: Request, res: Response, status: number, key: string, errors: NewPasswordProblems = {}) =>
    res.status(status).render('admin/reset-password', { live: status !== 410, key, errors, minPassword: MIN_PASSWORD_LENGTH, csrfToken: sessionCsrfToken(req, secret) });

  // Opening the link only looks: a mail scanner that follows it spends nothing.
  router.get('/reset-password/', (req, res) => {
    const key = queryParam(req, 'key');
    renderReset(req, res, passwordReset.isLive(key) ? 200 : 410, key);
  });

  router.post('/reset-password/', sameOrigin, limitPerAddress(limiters, { name: 'password-reset-set', points: 20, windowMs: HOUR }), smallForm, csrf, async (req, res) => {
    const key = field(req.body, 'key');
    const result = await passwordReset.reset(key, field(req.body, 'password'), field(req.body, 'repeatPassword'));
    if (result === 'invalid') return renderReset(req, res, 410, '');
    if ('errors' in result) return renderReset(req, res, 422, key, result.errors);
    // Whoever was logged in to the account, with the password forgotten or stolen, is logged out everywhere.
    endOtherSessions(sessionKeyOf(result.user), '');
    req.log.warn({ ip: req.ip, userId: result.user.id }, 'password set with a reset link');
    res.redirect(303, '/admin/login/?password-set');
  });

  return router;
}
