import type { Request, Response } from 'express';
import { REMEMBER_MS } from '../services/post-passwords.js';

/** The reader's remembered post password (WordPress: wp-postpass_…), as a token; see services/post-passwords.ts. */
export const POST_PASSWORD_COOKIE = 'post_pass';

/** The token the reader's browser sent, if any. */
export const postPasswordToken = (req: Request): string | undefined => {
  const value = req.cookies?.[POST_PASSWORD_COOKIE];
  return typeof value === 'string' ? value : undefined;
};

/** Remembers a password's token for 10 days, for every page of the site, out of reach of scripts. */
export function rememberPostPassword(res: Response, token: string, secure: boolean) {
  res.cookie(POST_PASSWORD_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: REMEMBER_MS });
}
