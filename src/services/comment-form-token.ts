import crypto from 'node:crypto';
import { sameSecret } from '../constant-time.js';
import { MIN_SECONDS_TO_COMMENT } from './comment-rules.js';

/**
 * The comment form's token names a time window, not the moment of the render, so a post page is the same for
 * every anonymous reader within the window and can be kept whole by the page cache, which keeps such a page
 * only until its window ends. The page was therefore shown to the visitor no later than the window's end: a
 * submit counts as quick enough for a person only from the end of the window plus MIN_SECONDS_TO_COMMENT.
 */
const FORM_TOKEN_WINDOW_MS = 5_000;
/** After this a token is stale: a form left open longer is held for moderation, and a harvested token expires. */
const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;

/** When a page showing this token stops being true, because a fresh render would show the next window's token. */
export const formTokenWindowEnd = (token: string) => Number(token.slice(0, token.indexOf('.'))) + FORM_TOKEN_WINDOW_MS;

export interface FormTokens {
  /** The token for a post's form now: the start of the current time window, signed with the post's id. */
  issue(postId: number): string;
  /**
   * Whether a submit carries a token this blog made for this post, shown at least MIN_SECONDS_TO_COMMENT ago
   * (counted from the end of its window, the latest it can have been shown) and within the maximum age.
   */
  acceptable(token: string, postId: number): boolean;
}

export function createFormTokens(secret: string, now: () => Date): FormTokens {
  let last = { key: '', token: '' };
  const sign = (postId: number, windowStart: string) => crypto.createHmac('sha256', secret).update(`${postId}.${windowStart}`).digest('base64url');
  return {
    issue(postId) {
      const windowStart = String(Math.floor(now().getTime() / FORM_TOKEN_WINDOW_MS) * FORM_TOKEN_WINDOW_MS);
      // Signed once per post and window while one post is busy: its renders do no crypto each.
      const key = `${postId}.${windowStart}`;
      if (last.key !== key) last = { key, token: `${windowStart}.${sign(postId, windowStart)}` };
      return last.token;
    },
    acceptable(token, postId) {
      const [windowStart, mac, extra] = token.split('.');
      if (!/^\d{1,15}$/.test(windowStart ?? '') || !mac || extra !== undefined || !sameSecret(mac, sign(postId, windowStart))) return false;
      const sinceShown = now().getTime() - (Number(windowStart) + FORM_TOKEN_WINDOW_MS);
      return sinceShown >= MIN_SECONDS_TO_COMMENT * 1000 && sinceShown <= FORM_TOKEN_MAX_AGE_MS;
    },
  };
}
