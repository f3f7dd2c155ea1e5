import express, { Router } from 'express';
import { limitPerAddress, type Limiters } from '../http/rate-limit.js';
import { notFound } from '../http/errors.js';
import { field } from '../http/form.js';
import { sameOriginOnly } from '../http/same-origin.js';
import { commentPagePath } from '../permalinks.js';
import type { ViewHelpers } from '../http/locals.js';
import type { CommentsService } from '../services/comments.js';
import type { PostsService } from '../services/posts.js';
import { requireSessionCsrf } from '../http/csrf.js';
import { currentCommenter, currentUser } from '../auth/identity.js';
import { postPasswordToken } from '../http/post-password-cookie.js';
import type { SubscriptionWishes } from '../services/blog-events.js';
import { AUTHOR_COOKIE, ownPendingIds, PENDING_COOKIE, renderPostPage, type CommentFormValues, type LoginOptions } from './post-page.js';

export interface CommentsRouteDeps {
  comments: CommentsService;
  posts: PostsService;
  publicUrl: string;
  secureCookies: boolean;
  login: LoginOptions;
  limiters: Limiters;
  /** Benchmarks only: no per-address comment limit. */
  unlimited?: boolean;
}

const YEAR_MS = 365 * 86400_000;

export function commentsRouter({ comments, posts, publicUrl, secureCookies, login, limiters, unlimited = false }: CommentsRouteDeps): Router {
  const router = Router();
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies, path: '/' };

  router.post(
    '/comments',
    sameOriginOnly(publicUrl),
    unlimited ? (_req, _res, next) => next() : limitPerAddress(limiters, { name: 'comments', points: 20, windowMs: 10 * 60_000 }),
    express.urlencoded({ extended: false, limit: '300kb', parameterLimit: 20 }),
    requireSessionCsrf(login.secret),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      // The two email boxes ride along with the values, so a form shown again with an error keeps them ticked.
      const values: CommentFormValues & SubscriptionWishes = {
        name: field(body, 'author'),
        email: field(body, 'email'),
        url: field(body, 'url'),
        text: field(body, 'comment'),
        remember: field(body, 'remember') === 'yes',
        followUps: field(body, 'subscribe_comments') === 'yes',
        newPosts: field(body, 'subscribe_blog') === 'yes',
      };
      const result = await comments.submitTogether({
        postId: field(body, 'post_id'),
        parentId: field(body, 'parent_id'),
        name: values.name,
        email: values.email,
        url: values.url,
        text: values.text,
        honeypot: field(body, 'hp'),
        formToken: field(body, 'form_token'),
        ip: req.ip ?? '',
        userAgent: req.get('user-agent') ?? '',
        commenter: currentCommenter(req),
        author: currentUser(req),
        postPasswordToken: postPasswordToken(req),
        wishes: { followUps: values.followUps, newPosts: values.newPosts },
      });

      if ('errors' in result && result.refused && result.post) {
        const helpers = res.locals as ViewHelpers;
        res.status(result.status).set('Cache-Control', 'no-store');
        return res.render('comment-refused', {
          reason: result.refused, postPath: helpers.postUrl(result.post), meta: { title: helpers.t('comments.refused'), noindex: true },
        });
      }

      if ('errors' in result) {
        if (!result.post) throw notFound();
        res.status(result.status);
        const view = posts.pageViewById(result.post.id);
        if (!view) throw notFound();
        return renderPostPage(req, res, comments, login, view, {
          values,
          errors: result.errors,
          replyTo: field(body, 'parent_id'),
        });
      }

      const { comment, post } = result;
      if (values.remember) {
        res.cookie(AUTHOR_COOKIE, JSON.stringify({ name: comment.authorName, email: values.email.trim(), url: comment.authorUrl }), { ...cookie, maxAge: YEAR_MS });
      } else {
        res.clearCookie(AUTHOR_COOKIE, cookie);
      }
      const pending = [...ownPendingIds(req), comment.id].slice(-20);
      if (comment.status === 'pending') {
        res.cookie(PENDING_COOKIE, JSON.stringify(pending), { ...cookie, signed: true, maxAge: 30 * 86400_000 });
      }
      const page = comments.pageOf(comment, pending);
      res.redirect(303, `${commentPagePath((res.locals as ViewHelpers).postUrl(post), page)}#comment-${comment.id}`);
    },
  );
  return router;
}
