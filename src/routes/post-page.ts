import type { Request, Response } from 'express';
import type { ViewHelpers } from '../http/locals.js';
import { sessionCsrfToken } from '../http/csrf.js';
import { currentCommenter, currentUser } from '../auth/identity.js';
import type { PostLink, Provider } from '../models.js';
import type { CommentsService, FieldErrors } from '../services/comments.js';
import type { PostWithTerms } from '../services/posts.js';
import { postMeta } from './reader-meta.js';
import { postPasswordToken } from '../http/post-password-cookie.js';
import { isProtected, opens } from '../services/post-passwords.js';

export const PENDING_COOKIE = 'comment_pending';
export const AUTHOR_COOKIE = 'comment_author';

export interface CommentFormValues {
  name: string;
  email: string;
  url: string;
  text: string;
  remember: boolean;
}

/** The visitor's own held comments, from the signed cookie set when they posted them. */
export function ownPendingIds(req: Request): number[] {
  const raw = req.signedCookies?.[PENDING_COOKIE];
  if (typeof raw !== 'string') return [];
  try {
    const ids = JSON.parse(raw);
    return Array.isArray(ids) ? ids.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

/** Name, email and website the visitor asked this browser to remember. */
export function rememberedAuthor(req: Request): CommentFormValues {
  const empty = { name: '', email: '', url: '', text: '', remember: false };
  const raw = req.cookies?.[AUTHOR_COOKIE];
  if (typeof raw !== 'string') return empty;
  try {
    const saved = JSON.parse(raw);
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : '');
    return { name: str(saved.name), email: str(saved.email), url: str(saved.url), text: '', remember: true };
  } catch {
    return empty;
  }
}

export interface PostPageView {
  post: PostWithTerms;
  previous?: PostLink;
  next?: PostLink;
}

/** Renders a post with its comment thread and form; the form keeps what the visitor typed. */
export interface LoginOptions {
  providers: Provider[];
  secret: string;
}

export function renderPostPage(
  req: Request,
  res: Response,
  comments: CommentsService,
  login: LoginOptions,
  view: PostPageView,
  form: { values?: CommentFormValues; errors?: FieldErrors; replyTo?: string; wrongPassword?: boolean } = {},
) {
  const { post } = view;
  if (isProtected(post)) {
    if (!opens(login.secret, post, postPasswordToken(req))) return renderLockedPage(res, view, form.wrongPassword ?? false);
    // The body is this reader's alone: no shared cache (nor the page cache) may keep it.
    res.set('Cache-Control', 'private, no-store');
  }
  // A draft left when the visitor went to log in comes back into the box, once; so does why a login failed,
  // on the post the visitor was sent back to only (any other page drops it, so it never surfaces later).
  const draft = req.session?.commentDraft;
  const authError = req.session?.authError;
  if (req.session) {
    delete req.session.commentDraft;
    delete req.session.authError;
  }
  const fromDraft = draft && draft.postId === String(post.id) ? draft : undefined;
  const loginProblem = authError && authError.path === (res.locals as ViewHelpers).postUrl(post) ? authError.message : undefined;
  const values = form.values ?? { ...rememberedAuthor(req), text: fromDraft?.text ?? '' };
  const cpage = typeof req.query.cpage === 'string' && /^\d{1,6}$/.test(req.query.cpage) ? Number(req.query.cpage) : 1;
  const thread = post.type === 'post'
    ? comments.thread(post.id, ownPendingIds(req), cpage)
    : { roots: [], count: 0, page: 1, totalPages: 1 };
  const replyId = form.replyTo ?? fromDraft?.parentId ?? (typeof req.query.replytocom === 'string' ? req.query.replytocom : '');
  const found = /^\d{1,12}$/.test(replyId) ? comments.findById(Number(replyId)) : undefined;
  // Named as the thread names it ("Anonymous" for a nameless comment), so the form's heading needs no rule of its own.
  const replyTo = found && { ...found, authorName: (res.locals as ViewHelpers).commentAuthor(found.authorName) };
  res.render('post', {
    ...view,
    thread,
    form: {
      open: post.type === 'post' && comments.isOpen(post),
      values,
      errors: loginProblem ? { ...form.errors, form: loginProblem } : form.errors ?? {},
      commenter: currentCommenter(req),
      author: currentUser(req),
      providers: login.providers,
      csrfToken: sessionCsrfToken(req, login.secret),
      replyTo: replyTo && replyTo.postId === post.id && replyTo.status === 'approved' ? replyTo : undefined,
      token: comments.formToken(post.id),
    },
    meta: postMeta(post, res.locals as ViewHelpers),
  });
}

/**
 * A protected post for a reader without its password: the password form instead of the body, and no comments
 * (list or form), as WordPress does. The same for every such reader, so the page cache may keep it.
 */
function renderLockedPage(res: Response, view: PostPageView, wrongPassword: boolean) {
  res.render('post', {
    ...view,
    locked: { wrongPassword },
    thread: { roots: [], count: 0, page: 1, totalPages: 1 },
    form: { open: false },
    meta: postMeta(view.post, res.locals as ViewHelpers),
  });
}
