import type { Message } from '../i18n/index.js';
import type { Comment, CommentStatus, Page, Post, User } from '../models.js';
import type { AdminComment, CommentScope, CommentsRepository } from '../repositories/comments.js';
import type { PostsRepository } from '../repositories/posts.js';
import { sanitizeComment } from './comment-html.js';
import { isEmail, LIMITS, normalizeUrl } from './comment-rules.js';
import { avatarHash } from './comment-fields.js';
import { attachParent } from './comment-thread.js';
import { toPage } from './pagination.js';
import type { SettingsService } from './settings.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';
import { NO_EVENTS, type BlogEvents } from './blog-events.js';

export type { AdminComment, CommentScope };

export type ModerationAction = 'approve' | 'unapprove' | 'spam' | 'notSpam' | 'trash' | 'restore' | 'delete';
export type CommentFilter = 'all' | CommentStatus;

/** Where each action takes a comment; "not spam" and "restore" give back the status it had, as WordPress does. */
const TARGET: Record<Exclude<ModerationAction, 'delete' | 'notSpam' | 'restore'>, CommentStatus> = {
  approve: 'approved',
  unapprove: 'pending',
  spam: 'spam',
  trash: 'trash',
};

/** As in WordPress, "All" is what readers see or may soon see: spam and trash stay out of it. */
export const FILTER_STATUSES: Record<CommentFilter, CommentStatus[]> = {
  all: ['pending', 'approved'],
  pending: ['pending'],
  approved: ['approved'],
  spam: ['spam'],
  trash: ['trash'],
};

export type Moderator = Pick<User, 'id' | 'role'>;

/** Whose posts' comments a user moderates: an administrator everyone's (undefined), an author their own. */
export const postAuthorScope = (user: Moderator): number | undefined => (user.role === 'administrator' ? undefined : user.id);

/** As WordPress: only a comment in the Trash or Spam is deleted for good; Delete sends any other to the Trash. */
export const deletesForGood = (comment: Pick<Comment, 'status'>) => comment.status === 'trash' || comment.status === 'spam';

/** Whether a user moderates the comments on a post: an administrator any, an author their own posts'. */
export const mayModerate = (user: Moderator, post: Pick<Post, 'authorId'>) => user.role === 'administrator' || post.authorId === user.id;

export interface CommentFields {
  name: string;
  email: string;
  url: string;
  text: string;
}
/** What is wrong with each field, as a message for the page to say in the site's language. */
export type EditErrors = Partial<Record<keyof CommentFields, Message>>;

export type ReplyResult = { comment: Comment } | { problem: Message; status: number };

export interface ModerationService {
  /** Applies an action to a comment; false when there is no such comment. */
  apply(action: ModerationAction, commentId: number): boolean;
  /** Applies an action to several comments at once (unknown ids skipped); null, changing nothing, when one is not the user's. */
  applyMany(user: Moderator, action: ModerationAction, ids: number[]): number | null;
  counts(postAuthorId?: number, postId?: number): Record<CommentStatus, number>;
  /** The newest comments under a filter, for the dashboard. */
  latest(filter: CommentFilter, limit: number, postAuthorId?: number): AdminComment[];
  /** One page of the admin's list, newest first (a page past the end gives the last page), with the counts per status. */
  list(filter: CommentFilter, page: number, scope: CommentScope, perPage?: number): Page<AdminComment> & { counts: Record<CommentStatus, number> };
  find(id: number): AdminComment | undefined;
  /** The post a list is narrowed to. */
  findPost(id: number): Pick<Post, 'id' | 'title' | 'authorId'> | undefined;
  /** An approved reply by the blog's user, threaded under the comment; a held comment is approved by replying to it. */
  reply(user: User, parent: AdminComment, text: string, ip: string, userAgent: string): ReplyResult;
  /** Saves an edited comment, its text sanitized again; the problems found otherwise. */
  edit(comment: AdminComment, fields: CommentFields): EditErrors | null;
  /** The text the edit form starts from: the stored HTML, with the paragraphs and breaks made on save turned back into blank lines and newlines. */
  editableText(comment: AdminComment): string;
}

export interface ModerationDeps {
  comments: CommentsRepository;
  posts: PostsRepository;
  settings: SettingsService;
  transaction: <T>(fn: () => T) => T;
  now?: () => Date;
  changes?: SiteChanges;
  /** Who hears of a comment approved here (subscribers to the post's comments). */
  events?: BlogEvents;
}

const clean = (value: string) => value.replace(/\0/g, '').trim();

export function createModerationService({ comments, posts, settings, transaction, now = () => new Date(), changes = NO_CHANGES, events = NO_EVENTS }: ModerationDeps): ModerationService {
  /** Tells the listeners of a comment readers can now see. */
  const approved = (id: number) => {
    const comment = comments.findById(id);
    const post = comment && posts.findById(comment.postId);
    if (comment?.status === 'approved' && post) events.commentApproved(comment, post);
  };

  const apply = (action: ModerationAction, id: number) => {
    const before = comments.findById(id);
    const done = action === 'delete' ? (before && !deletesForGood(before) ? comments.setStatus(id, 'trash') : comments.delete(id))
      : action === 'notSpam' || action === 'restore' ? comments.restoreStatus(id)
        : comments.setStatus(id, TARGET[action]);
    // Readers see approved comments only: a change into or out of that status changes the post's pages.
    if (before && (before.status === 'approved' || comments.findById(id)?.status === 'approved')) changes.comments(before.postId);
    // Only Approve makes a comment newly seen: "not spam" and "restore" give back a status it had, already told.
    if (done && action === 'approve' && before?.status !== 'approved') approved(id);
    return done;
  };

  return {
    apply,
    applyMany: (user, action, ids) =>
      transaction(() => {
        const found = ids.map((id) => comments.findForAdmin(id)).filter((c) => c !== undefined);
        if (!found.every((c) => mayModerate(user, c.post))) return null;
        return found.filter((c) => apply(action, c.id)).length;
      }),
    counts: (postAuthorId, postId) => comments.countByStatus({ postAuthorId, postId }),
    latest: (filter, limit, postAuthorId) => comments.listForAdmin(FILTER_STATUSES[filter], { postAuthorId }, limit, 0),
    list(filter, page, scope, perPage = 20) {
      const counts = comments.countByStatus(scope);
      const total = FILTER_STATUSES[filter].reduce((sum, status) => sum + counts[status], 0);
      const totalPages = Math.max(1, Math.ceil(total / perPage));
      const current = Math.min(Math.max(1, page), totalPages);
      const items = comments.listForAdmin(FILTER_STATUSES[filter], scope, perPage, (current - 1) * perPage);
      return { ...toPage(items, current, totalPages, total), counts };
    },
    find: (id) => comments.findForAdmin(id),
    findPost: (id) => posts.findById(id),

    reply(user, parent, text, ip, userAgent) {
      const body = clean(text);
      if (!body) return { problem: 'admin.comments.reply.empty', status: 422 };
      if (body.length > LIMITS.text) return { problem: { key: 'admin.comments.reply.tooLong', params: { max: LIMITS.text } }, status: 422 };
      if (parent.status === 'spam' || parent.status === 'trash') return { problem: 'admin.comments.reply.restoreFirst', status: 409 };
      if (parent.post.status !== 'published') return { problem: 'admin.comments.reply.notPublished', status: 409 };
      const bodyHtml = sanitizeComment(body);
      if (!bodyHtml) return { problem: 'admin.comments.reply.empty', status: 422 };
      const email = user.email ?? '';
      const parentId = attachParent(parent, settings.get().threadDepth, comments.findById);
      if (comments.isDuplicate({ postId: parent.postId, parentId, authorName: user.displayName, authorEmail: email, bodyHtml })) {
        return { problem: 'admin.comments.reply.duplicate', status: 409 };
      }
      // No flood or closed-comments check: the blog's own users reply as WordPress's moderators do.
      const reply = transaction(() => {
        if (parent.status === 'pending') comments.setStatus(parent.id, 'approved');
        return comments.insert({
          postId: parent.postId, parentId, status: 'approved', authorName: user.displayName, authorEmail: email,
          avatarHash: avatarHash(email), authorUrl: '', authorIp: ip.slice(0, 100), userAgent: userAgent.slice(0, 255),
          bodyHtml, createdAt: now().toISOString(), userId: user.id, commenterId: null,
        });
      });
      changes.comments(parent.postId);
      if (parent.status === 'pending') approved(parent.id);
      const post = posts.findById(reply.postId);
      // As WordPress: the post's author hears of a reply written in the admin (the notices skip whoever wrote it).
      if (post) events.commentAdded(reply, post);
      approved(reply.id);
      return { comment: reply };
    },

    edit(comment, fields) {
      const errors: EditErrors = {};
      const name = clean(fields.name);
      const email = clean(fields.email).toLowerCase();
      const url = normalizeUrl(clean(fields.url));
      const body = clean(fields.text);
      const bodyHtml = body.length > LIMITS.text ? '' : sanitizeComment(body);
      // As the comment form: a name is needed only while the discussion settings ask readers for one.
      if (!name && settings.get().requireNameEmail) errors.name = 'admin.comments.edit.nameMissing';
      else if (name.length > LIMITS.name) errors.name = { key: 'admin.comments.edit.nameTooLong', params: { max: LIMITS.name } };
      if (email && (email.length > LIMITS.email || !isEmail(email))) errors.email = 'admin.comments.edit.emailInvalid';
      if (url === null || url.length > LIMITS.url) errors.url = 'admin.comments.edit.urlInvalid';
      if (body.length > LIMITS.text) errors.text = { key: 'admin.comments.edit.textTooLong', params: { max: LIMITS.text } };
      else if (!bodyHtml) errors.text = 'admin.comments.edit.textMissing';
      if (Object.keys(errors).length > 0) return errors;
      comments.updateContent(comment.id, { authorName: name, authorEmail: email, avatarHash: avatarHash(email), authorUrl: url!, bodyHtml });
      if (comment.status === 'approved') changes.comments(comment.postId);
      return null;
    },

    editableText: ({ bodyHtml }) =>
      bodyHtml.replace(/<br \/>\n?/g, '\n').replace(/<\/p>\s*<p>/g, '\n\n').replace(/^<p>|<\/p>$/g, ''),
  };
}
