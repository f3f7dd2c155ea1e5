import type { MessageKey } from '../i18n/index.js';
import type { Comment, Commenter, ListedPost, Settings, User } from '../models.js';
import type { CommentsRepository } from '../repositories/comments.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { UsersRepository } from '../repositories/users.js';
import { attachParent, buildTree, contains, type CommentNode } from './comment-thread.js';
import { avatarHash, checkFields, type CleanFields, type FieldErrors, type TypedFields } from './comment-fields.js';
import { createFormTokens } from './comment-form-token.js';
import { decideStatus, linkCount, FLOOD_SECONDS } from './comment-rules.js';
import type { SettingsService } from './settings.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';
import { opens } from './post-passwords.js';
import { createRemoteComments, type RemoteComments } from './remote-comments.js';
import { NO_EVENTS, type BlogEvents, type SubscriptionWishes } from './blog-events.js';

export type { CommentNode, FieldErrors };

export interface CommentInput {
  postId: string;
  parentId: string;
  name: string;
  email: string;
  url: string;
  text: string;
  /** The hidden field people never fill. */
  honeypot: string;
  /** The form's token: its time window, signed with the post (see formToken). */
  formToken: string;
  ip: string;
  userAgent: string;
  /** The blog's logged-in author: their comments need no moderation and carry their name. */
  author?: Pick<User, 'id' | 'displayName' | 'email'>;
  /** A visitor logged in with a provider: their account's name and link are used, and their history judged by identity. */
  commenter?: Commenter;
  /** The post password token the visitor's browser sent (see post-passwords.ts), if any. */
  postPasswordToken?: string;
  /** What the form's email boxes asked for (the subscriptions listener acts on it). */
  wishes?: SubscriptionWishes;
}

export type SubmitResult =
  | { comment: Comment; post: ListedPost }
  /** `refused`: turned away before any field was read, for the reason it names (said on a page of its own). */
  | { errors: FieldErrors; status: number; post: ListedPost | null; refused?: MessageKey };

export interface CommentThread {
  roots: CommentNode[];
  /** Approved comments on the post. */
  count: number;
  page: number;
  totalPages: number;
}

/** The comment form's submits, a post's thread, and (remote-comments.ts) replies from the Fediverse. */
export interface CommentsService extends RemoteComments {
  submit(input: CommentInput): SubmitResult;
  /** As submit, with the comment's insert committed together with the other comments posted in this turn. */
  submitTogether(input: CommentInput): Promise<SubmitResult>;
  /**
   * The approved comments of a post, plus the visitor's own pending ones, as a tree. With comment paging on,
   * one page of top-level threads (oldest first); `page` is clamped to the pages there are.
   */
  thread(postId: number, ownPendingIds: number[], page?: number): CommentThread;
  /** The comment page a comment's thread is on (1 with paging off). */
  pageOf(comment: Pick<Comment, 'id' | 'postId'>, ownPendingIds: number[]): number;
  isOpen(post: ListedPost): boolean;
  /** The comment form's token for a post: the start of the current time window, signed with the post's id. */
  formToken(postId: number): string;
  findById(id: number): Comment | undefined;
  /** The comment that came as this Fediverse Note. */
  findByFediObject(objectId: string): Comment | undefined;
}

export interface CommentsServiceDeps {
  comments: CommentsRepository;
  posts: PostsRepository;
  /** The blog's accounts: a guest typing one's email is held, since only a login proves it. */
  users: Pick<UsersRepository, 'findByEmail'>;
  settings: SettingsService;
  secret: string;
  now?: () => Date;
  changes?: SiteChanges;
  /** Who hears of a new comment by email (notices to the blog's people, subscribers). */
  events?: BlogEvents;
  /** Seconds between two comments from one address or email; 0 only for benchmarks. */
  floodSeconds?: number;
  /** Runs a write in a transaction shared with the other writes of this turn (src/db/group-commit.ts); by default alone. */
  together?: <T>(work: () => T) => Promise<T>;
}

/** A comment that passed the form's checks, with what its write needs. */
interface Checked {
  input: CommentInput;
  post: ListedPost;
  site: Settings;
  parentId: number | null;
  fields: CleanFields;
}

export function createCommentsService({ comments, posts, users, settings, secret, now = () => new Date(), changes = NO_CHANGES, events = NO_EVENTS, floodSeconds = FLOOD_SECONDS, together = async (work) => work() }: CommentsServiceDeps): CommentsService {
  const formTokens = createFormTokens(secret, now);

  const isOpen = (post: ListedPost) => {
    if (!post.commentsOpen || post.type !== 'post' || post.status !== 'published') return false;
    const days = settings.get().closeCommentsAfterDays;
    if (days === 0 || !post.publishedAt) return true;
    return now().getTime() - new Date(post.publishedAt).getTime() < days * 86400_000;
  };

  /** The post, the form's fields and the reply's parent, checked before anything is written. */
  function check(input: CommentInput): Extract<SubmitResult, { errors: FieldErrors }> | Checked {
    // Not its bodies: a tenth of what a comment cost was reading them.
    const post = /^\d{1,12}$/.test(input.postId) ? posts.findListedById(Number(input.postId)) : undefined;
    if (!post || post.status !== 'published' || post.type !== 'post') {
      return { errors: { form: 'comments.error.postMissing' }, status: 404, post: null };
    }
    if (!isOpen(post)) return { errors: { form: 'comments.closed' }, status: 403, post };
    // As WordPress: only a reader who has typed a protected post's password may comment on it.
    if (!opens(secret, post, input.postPasswordToken)) return { errors: {}, refused: 'comments.protected.body', status: 403, post };

    const site = settings.get();
    const { author, commenter } = input;
    const typed: TypedFields = author ? { name: author.displayName, email: author.email ?? '', url: '', text: input.text }
      : commenter ? { name: commenter.displayName, email: commenter.email, url: commenter.profileUrl, text: input.text }
      : input;
    const { errors, ...fields } = checkFields(typed, !author && !commenter && site.requireNameEmail);
    let parentId: number | null = null;
    if (input.parentId && input.parentId !== '0') {
      const parent = /^\d{1,12}$/.test(input.parentId) ? comments.findById(Number(input.parentId)) : undefined;
      if (!parent || parent.postId !== post.id || parent.status !== 'approved') {
        errors.form = 'comments.error.parentMissing';
      } else {
        parentId = attachParent(parent, site.threadDepth, comments.findById);
      }
    }
    if (Object.keys(errors).length > 0) return { errors, status: 422, post };
    return { input, post, site, parentId, fields };
  }

  /** The checks that read what was stored (flood, duplicate, the commenter's history), then the insert. */
  function store({ input, post, site, parentId, fields: { name, email, url, body, bodyHtml } }: Checked): SubmitResult {
    const { author, commenter } = input;
    // A reply written together with others: its parent may have been deleted since check(), earlier in this turn.
    if (parentId !== null && !comments.findById(parentId)) return { errors: { form: 'comments.error.parentMissing' }, status: 422, post };
    const at = now();
    if (floodSeconds > 0 && comments.postedSince(input.ip, email, new Date(at.getTime() - floodSeconds * 1000).toISOString())) {
      return { errors: { form: 'comments.error.flood' }, status: 429, post };
    }
    if (comments.isDuplicate({ postId: post.id, parentId, authorName: name, authorEmail: email, bodyHtml })) {
      return { errors: { form: 'comments.error.duplicate' }, status: 409, post };
    }
    const status = author ? 'approved' : decideStatus(
      {
        name, email, url, text: body, ip: input.ip,
        linkCount: linkCount(bodyHtml),
        // A guest is known by name and email together (emails are kept lowercased, so in any case; the name exactly).
        previouslyApproved: commenter ? comments.hasApprovedByCommenter(commenter.id) : comments.hasApprovedGuest(name, email),
        usesAccountEmail: !commenter && email !== '' && users.findByEmail(email) !== undefined,
        filledHoneypot: input.honeypot !== '',
        tooFast: !formTokens.acceptable(input.formToken, post.id),
      },
      site,
    );
    const comment = comments.insert({
      postId: post.id,
      parentId,
      status,
      authorName: name,
      authorEmail: email,
      avatarHash: avatarHash(email),
      authorUrl: url,
      authorIp: input.ip.slice(0, 100),
      userAgent: input.userAgent.slice(0, 255),
      bodyHtml,
      createdAt: at.toISOString(),
      userId: author?.id ?? null,
      commenterId: commenter?.id ?? null,
    });
    // A held comment shows only to its writer (a private page); an approved one to every reader.
    if (status === 'approved') changes.comments(post.id);
    events.commentAdded(comment, post, input.wishes);
    if (status === 'approved') events.commentApproved(comment, post);
    return { comment, post };
  }

  return {
    ...createRemoteComments({ comments, posts, settings, now, changes, events, isOpen }),
    isOpen,
    formToken: (postId) => formTokens.issue(postId),
    findById: (id) => comments.findById(id),
    findByFediObject: (objectId) => comments.findByFediObject(objectId),

    submit(input) {
      const checked = check(input);
      return 'errors' in checked ? checked : store(checked);
    },

    async submitTogether(input) {
      const checked = check(input);
      return 'errors' in checked ? checked : together(() => store(checked));
    },

    thread(postId, ownPendingIds, page = 1) {
      const { roots, count } = buildTree(comments.visibleForPost(postId, ownPendingIds));
      const site = settings.get();
      if (!site.pageComments) return { roots, count, page: 1, totalPages: 1 };
      const totalPages = Math.max(1, Math.ceil(roots.length / site.commentsPerPage));
      const current = Math.min(Math.max(1, page), totalPages);
      const start = (current - 1) * site.commentsPerPage;
      return { roots: roots.slice(start, start + site.commentsPerPage), count, page: current, totalPages };
    },

    pageOf(comment, ownPendingIds) {
      const site = settings.get();
      if (!site.pageComments) return 1;
      const { roots } = buildTree(comments.visibleForPost(comment.postId, [...ownPendingIds, comment.id]));
      const index = roots.findIndex((root) => root.id === comment.id || contains(root, comment.id));
      return Math.floor(Math.max(0, index) / site.commentsPerPage) + 1;
    },
  };
}
