import express, { Router } from 'express';
import { notFound } from '../http/errors.js';
import { field, parseId } from '../http/form.js';
import type { ViewHelpers } from '../http/locals.js';
import { rememberPostPassword } from '../http/post-password-cookie.js';
import { limitPerAddress, type Limiters } from '../http/rate-limit.js';
import { sameOriginOnly } from '../http/same-origin.js';
import type { CommentsService } from '../services/comments.js';
import { isProtected, type PostPasswords } from '../services/post-passwords.js';
import type { PostsService } from '../services/posts.js';
import { renderPostPage, type LoginOptions } from './post-page.js';

export interface PostPasswordRouteDeps {
  postPasswords: PostPasswords;
  posts: PostsService;
  comments: CommentsService;
  publicUrl: string;
  secureCookies: boolean;
  login: LoginOptions;
  limiters: Limiters;
}

/**
 * The protected post's password form (WordPress: wp-login.php?action=postpass). The right password is remembered
 * for 10 days and the reader goes back to the post; a wrong one shows the form again, 403, saying so, and
 * remembers nothing. Guesses are limited per address, so a password cannot be found by trying many fast.
 */
export function postPasswordRouter({ postPasswords, posts, comments, publicUrl, secureCookies, login, limiters }: PostPasswordRouteDeps): Router {
  const router = Router();
  router.post(
    '/post-password',
    sameOriginOnly(publicUrl),
    limitPerAddress(limiters, { name: 'post-password', points: 10, windowMs: 15 * 60_000 }),
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 }),
    (req, res) => {
      const id = parseId(field(req.body, 'post_id'));
      const post = id === null ? null : postPasswords.find(id);
      if (!post) throw notFound();
      const back = (res.locals as ViewHelpers).postUrl(post);
      if (!isProtected(post)) return res.redirect(303, back);
      const token = postPasswords.unlock(post, field(req.body, 'post_password'));
      if (token === null) {
        res.status(403);
        return renderPostPage(req, res, comments, login, posts.pageView(post), { wrongPassword: true });
      }
      rememberPostPassword(res, token, secureCookies);
      res.redirect(303, back);
    },
  );
  return router;
}
