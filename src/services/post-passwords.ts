import crypto from 'node:crypto';
import { sameSecret } from '../constant-time.js';
import type { Post } from '../models.js';
import type { PostsRepository } from '../repositories/posts.js';

/** How long a reader's browser remembers a post password (WordPress: 10 days). */
export const REMEMBER_MS = 10 * 86400_000;

/** Whether a post hides its body behind a password; an empty one protects nothing, as in WordPress. */
export const isProtected = (post: Pick<Post, 'password'>): post is Pick<Post, 'password'> & { password: string } =>
  typeof post.password === 'string' && post.password !== '';

/**
 * What a reader's browser keeps for a password it was given: an HMAC with the site secret, so the cookie never
 * holds the password and nobody can make one for a password they do not know. Any post with that password opens.
 */
export const passwordToken = (secret: string, password: string) =>
  crypto.createHmac('sha256', secret).update(`post-password\0${password}`).digest('base64url');

/** Whether the token a reader's browser sent opens the post; true for any post without a password. */
export function opens(secret: string, post: Pick<Post, 'password'>, token: string | undefined): boolean {
  if (!isProtected(post)) return true;
  return token !== undefined && sameSecret(token, passwordToken(secret, post.password));
}

/** The post password form's rules: which post it is for, and whether the password typed is its own. */
export function createPostPasswords(posts: Pick<PostsRepository, 'findById'>, secret: string) {
  return {
    /** A published post or page a reader may type a password for, or null. */
    find(id: number): Post | null {
      const post = posts.findById(id);
      return post && post.status === 'published' ? post : null;
    },

    /** The token to remember when `typed` is the protected post's password, else null. */
    unlock(post: Post, typed: string): string | null {
      if (!isProtected(post)) return null;
      return sameSecret(typed, post.password) ? passwordToken(secret, typed) : null;
    },
  };
}

export type PostPasswords = ReturnType<typeof createPostPasswords>;
