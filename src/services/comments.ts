import crypto from 'node:crypto';
import type { Message, MessageKey } from '../i18n/index.js';
import type { Comment, Commenter, ListedPost, Settings, User } from '../models.js';
import type { CommentsRepository } from '../repositories/comments.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { UsersRepository } from '../repositories/users.js';
import { sanitizeComment } from './comment-html.js';
import { buildTree, contains, type CommentNode } from './comment-thread.js';
import { decideStatus, linkCount, FLOOD_SECONDS, hasVisibleText, isEmail, LIMITS, MIN_SECONDS_TO_COMMENT, normalizeUrl } from './comment-rules.js';
import type { SettingsService } from './settings.js';
import { sameSecret } from '../constant-time.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';
import { isProtected, opens } from './post-passwords.js';
import { NO_EVENTS, type BlogEvents, type SubscriptionWishes } from './blog-events.js';

export type { CommentNode };

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

/** A reply from the Fediverse, already tied to the blog's post (and the comment it answers) by src/fediverse/replies.ts. */
export interface RemoteReply {
  postId: number;
  /** The comment it answers; null when it answers the post. */
  parentId: number | null;
  /** The remote account, a 'fediverse' commenter (the same row a Mastodon login makes). */
  commenter: Commenter;
  /** The Note's content, as comment text for the allow-list (see noteText in src/fediverse/replies.ts). */
  text: string;
  /** The Note's id. */
  objectId: string;
}

export type CommentField = 'name' | 'email' | 'url' | 'text' | 'form';
/** What is wrong with each field, as a message for the page to say in the site's language. */
export type FieldErrors = Partial<Record<CommentField, Message>>;

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

export interface CommentsService {
  submit(input: CommentInput): SubmitResult;
  /** As submit, with the comment's insert committed together with the other comments posted in this turn. */
  submitTogether(input: CommentInput): Promise<SubmitResult>;
  /**
   * The approved comments of a post, plus the visitor's own pending ones, as a tree. With comment paging on,
   * one page of top-level threads (oldest first); `page` is clamped to the pages there are.
   */
  thread(postId: number, ownPendingIds: number[], page?: number): CommentThread;
  /** The comment page a comment's thread is on (1 with paging off). */
  pageOf(comment: Comment, ownPendingIds: number[]): number;
  isOpen(post: ListedPost): boolean;
  /** The comment form's token for a post: the start of the current time window, signed with the post's id. */
  formToken(postId: number): string;
  findById(id: number): Comment | undefined;
  /** The comment that came as this Fediverse Note. */
  findByFediObject(objectId: string): Comment | undefined;
  /**
   * A Fediverse reply, through a guest comment's rules (allow-list, closed comments, protected posts, moderation);
   * the comment stored, or null when it was dropped (or had come before).
   */
  receiveRemote(reply: RemoteReply): Comment | null;
  /** The author's Update of their Fediverse reply: new text, sanitized and judged again; false when not theirs or unusable. */
  editRemote(objectId: string, commenter: Commenter, text: string): boolean;
  /** The author's Delete of their Fediverse reply: trashed, as a moderator's delete; false when not theirs. */
  removeRemote(objectId: string, commenterId: number): boolean;
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
  fields: { name: string; email: string; url: string; body: string; bodyHtml: string };
}

/**
 * The comment form's token names a time window, not the moment of the render, so a post page is the same for
 * every anonymous reader within the window and can be kept whole by the page cache, which keeps such a page
 * only until its window ends. The page was therefore shown to the visitor no later than the window's end: a
 * submit counts as quick enough for a person only from the end of the window plus MIN_SECONDS_TO_COMMENT.
 */
export const FORM_TOKEN_WINDOW_MS = 5_000;
/** After this a token is stale: a form left open longer is held for moderation, and a harvested token expires. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;

/** When a page showing this token stops being true, because a fresh render would show the next window's token. */
export const formTokenWindowEnd = (token: string) => Number(token.slice(0, token.indexOf('.'))) + FORM_TOKEN_WINDOW_MS;

const text = (value: string) => value.replace(/\0/g, '').trim();

/** The hash Gravatar looks a commenter's email up by. */
export const avatarHash = (email: string) => (email ? crypto.createHash('sha256').update(email).digest('hex') : '');

/** Where a reply attaches: its parent, or the deepest ancestor the depth setting allows. */
export function attachParent(parent: Comment, maxDepth: number, findById: (id: number) => Comment | undefined): number | null {
  if (maxDepth <= 1) return null;
  const chain: Comment[] = [parent];
  while (chain[0].parentId !== null) {
    const up = findById(chain[0].parentId);
    if (!up) break;
    chain.unshift(up);
  }
  // chain[0] is at depth 1; a reply to chain[i] sits at depth i + 2.
  return chain[Math.min(chain.length, maxDepth - 1) - 1].id;
}

export function createCommentsService({ comments, posts, users, settings, secret, now = () => new Date(), changes = NO_CHANGES, events = NO_EVENTS, floodSeconds = FLOOD_SECONDS, together = async (work) => work() }: CommentsServiceDeps): CommentsService {
  let lastToken = { key: '', token: '' };
  const sign = (postId: number, windowStart: string) => crypto.createHmac('sha256', secret).update(`${postId}.${windowStart}`).digest('base64url');

  /**
   * Whether a submit carries a token this blog made for this post, shown at least MIN_SECONDS_TO_COMMENT ago
   * (counted from the end of its window, the latest it can have been shown) and within the maximum age.
   */
  const tokenAcceptable = (token: string, postId: number): boolean => {
    const [windowStart, mac, extra] = token.split('.');
    if (!/^\d{1,15}$/.test(windowStart ?? '') || !mac || extra !== undefined || !sameSecret(mac, sign(postId, windowStart))) return false;
    const sinceShown = now().getTime() - (Number(windowStart) + FORM_TOKEN_WINDOW_MS);
    return sinceShown >= MIN_SECONDS_TO_COMMENT * 1000 && sinceShown <= FORM_TOKEN_MAX_AGE_MS;
  };

  const isOpen = (post: ListedPost) => {
    if (!post.commentsOpen || post.type !== 'post' || post.status !== 'published') return false;
    const days = settings.get().closeCommentsAfterDays;
    if (days === 0 || !post.publishedAt) return true;
    return now().getTime() - new Date(post.publishedAt).getTime() < days * 86400_000;
  };

  /** A Fediverse reply's text through the guest rules, its name and link the account's (a login's, as name and email are not asked). */
  const validateRemote = (commenter: Commenter, replyText: string, site: Settings) =>
    validate(
      { postId: '', parentId: '', name: commenter.displayName, email: '', url: commenter.profileUrl, text: replyText, honeypot: '', formToken: '', ip: '', userAgent: '' },
      { ...site, requireNameEmail: false },
    );

  function validate(input: CommentInput, site: Settings) {
    const errors: FieldErrors = {};
    const name = text(input.name);
    const email = text(input.email).toLowerCase();
    const body = input.text.replace(/\0/g, '').trim();
    const url = normalizeUrl(text(input.url));
    if (site.requireNameEmail && !name) errors.name = 'comments.error.nameMissing';
    else if (name.length > LIMITS.name) errors.name = { key: 'comments.error.nameTooLong', params: { max: LIMITS.name } };
    if (site.requireNameEmail && !email) errors.email = 'comments.error.emailMissing';
    else if (email && (email.length > LIMITS.email || !isEmail(email))) errors.email = 'comments.error.emailInvalid';
    if (url === null || (url && url.length > LIMITS.url)) errors.url = { key: 'comments.error.urlInvalid', params: { max: LIMITS.url } };
    const bodyHtml = body && body.length <= LIMITS.text ? sanitizeComment(body) : '';
    if (!body) errors.text = 'comments.error.textMissing';
    else if (body.length > LIMITS.text) errors.text = { key: 'comments.error.textTooLong', params: { max: LIMITS.text } };
    else if (!hasVisibleText(bodyHtml)) errors.text = 'comments.error.textEmpty';
    return { errors, name, email, url: url ?? '', body, bodyHtml };
  }

  /** A Fediverse account's reply judged as a guest's comment would be (no form: no honeypot, token or address). */
  const remoteStatus = (commenter: Commenter, fields: { name: string; url: string; body: string; bodyHtml: string }, site: Settings) =>
    decideStatus({
      name: fields.name, email: '', url: fields.url, text: fields.body, ip: '',
      linkCount: linkCount(fields.bodyHtml),
      previouslyApproved: comments.hasApprovedByCommenter(commenter.id),
      usesAccountEmail: false, filledHoneypot: false, tooFast: false,
    }, site);

  /** The remote author's own Fediverse reply, or undefined. */
  const ownRemote = (objectId: string, commenterId: number) => {
    const comment = comments.findByFediObject(objectId);
    return comment && comment.commenterId === commenterId ? comment : undefined;
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
    const { errors, ...fields } = validate(
      author ? { ...input, name: author.displayName, email: author.email ?? '', url: '' }
        : commenter ? { ...input, name: commenter.displayName, email: commenter.email, url: commenter.profileUrl }
        : input,
      author || commenter ? { ...site, requireNameEmail: false } : site,
    );
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
        tooFast: !tokenAcceptable(input.formToken, post.id),
      },
      site,
    );
    const id = comments.insert({
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
    const comment = comments.findById(id)!;
    events.commentAdded(comment, post, input.wishes);
    if (status === 'approved') events.commentApproved(comment, post);
    return { comment, post };
  }

  return {
    isOpen,
    formToken: (postId) => {
      const windowStart = String(Math.floor(now().getTime() / FORM_TOKEN_WINDOW_MS) * FORM_TOKEN_WINDOW_MS);
      // Signed once per post and window while one post is busy: its renders do no crypto each.
      const key = `${postId}.${windowStart}`;
      if (lastToken.key !== key) lastToken = { key, token: `${windowStart}.${sign(postId, windowStart)}` };
      return lastToken.token;
    },
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

    receiveRemote({ postId, parentId: answers, commenter, text: replyText, objectId }) {
      const post = posts.findListedById(postId);
      // A Note seen before (in another activity) is not a second comment.
      if (!post || !isOpen(post) || isProtected(post) || comments.findByFediObject(objectId)) return null;
      const site = settings.get();
      const { errors, name, url, body, bodyHtml } = validateRemote(commenter, replyText, site);
      if (Object.keys(errors).length > 0) return null;
      let parentId: number | null = null;
      if (answers !== null) {
        const parent = comments.findById(answers);
        if (!parent || parent.postId !== post.id || parent.status !== 'approved') return null;
        parentId = attachParent(parent, site.threadDepth, comments.findById);
      }
      const status = remoteStatus(commenter, { name, url, body, bodyHtml }, site);
      const id = comments.insert({
        postId: post.id, parentId, status, authorName: name, authorEmail: '', avatarHash: '', authorUrl: url,
        authorIp: '', userAgent: '', bodyHtml, createdAt: now().toISOString(), userId: null, commenterId: commenter.id, fediObjectId: objectId,
      });
      if (status === 'approved') changes.comments(post.id);
      const comment = comments.findById(id)!;
      events.commentAdded(comment, post);
      if (status === 'approved') events.commentApproved(comment, post);
      return comment;
    },

    editRemote(objectId, commenter, replyText) {
      const comment = ownRemote(objectId, commenter.id);
      if (!comment || comment.status === 'trash') return false;
      const site = settings.get();
      const { errors, name, url, body, bodyHtml } = validateRemote(commenter, replyText, site);
      if (Object.keys(errors).length > 0) return false;
      comments.setBodyHtml(comment.id, bodyHtml);
      // New words are judged as new words: an approved reply edited into the moderation list goes back to the queue.
      const status = remoteStatus(commenter, { name, url, body, bodyHtml }, site);
      if (comment.status === 'approved' && status !== 'approved') comments.setStatus(comment.id, status);
      changes.comments(comment.postId);
      return true;
    },

    removeRemote(objectId, commenterId) {
      const comment = ownRemote(objectId, commenterId);
      if (!comment || comment.status === 'trash') return false;
      comments.setStatus(comment.id, 'trash');
      changes.comments(comment.postId);
      return true;
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
