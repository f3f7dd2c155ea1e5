import type { Comment, Commenter, ListedPost, Settings } from '../models.js';
import type { CommentsRepository } from '../repositories/comments.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { BlogEvents } from './blog-events.js';
import { checkFields } from './comment-fields.js';
import { decideStatus, linkCount } from './comment-rules.js';
import { attachParent } from './comment-thread.js';
import { isProtected } from './post-passwords.js';
import type { SettingsService } from './settings.js';
import type { SiteChanges } from './site-changes.js';

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

/** Replies from the Fediverse as comments (src/fediverse/replies.ts hands them over): received, edited, deleted. */
export interface RemoteComments {
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

export interface RemoteCommentsDeps {
  comments: CommentsRepository;
  posts: Pick<PostsRepository, 'findListedById'>;
  settings: SettingsService;
  now: () => Date;
  changes: SiteChanges;
  events: BlogEvents;
  /** Whether a post takes comments now (the comments service's rule, shared with the comment form). */
  isOpen: (post: ListedPost) => boolean;
}

export function createRemoteComments({ comments, posts, settings, now, changes, events, isOpen }: RemoteCommentsDeps): RemoteComments {
  /** A Fediverse reply's text through the guest rules, its name and link the account's (a login's, as name and email are not asked). */
  const validateRemote = (commenter: Commenter, replyText: string) =>
    checkFields({ name: commenter.displayName, email: '', url: commenter.profileUrl, text: replyText }, false);

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

  return {
    receiveRemote({ postId, parentId: answers, commenter, text: replyText, objectId }) {
      const post = posts.findListedById(postId);
      // A Note seen before (in another activity) is not a second comment.
      if (!post || !isOpen(post) || isProtected(post) || comments.findByFediObject(objectId)) return null;
      const site = settings.get();
      const { errors, name, url, body, bodyHtml } = validateRemote(commenter, replyText);
      if (Object.keys(errors).length > 0) return null;
      let parentId: number | null = null;
      if (answers !== null) {
        const parent = comments.findById(answers);
        if (!parent || parent.postId !== post.id || parent.status !== 'approved') return null;
        parentId = attachParent(parent, site.threadDepth, comments.findById);
      }
      const status = remoteStatus(commenter, { name, url, body, bodyHtml }, site);
      const comment = comments.insert({
        postId: post.id, parentId, status, authorName: name, authorEmail: '', avatarHash: '', authorUrl: url,
        authorIp: '', userAgent: '', bodyHtml, createdAt: now().toISOString(), userId: null, commenterId: commenter.id, fediObjectId: objectId,
      });
      if (status === 'approved') changes.comments(post.id);
      events.commentAdded(comment, post);
      if (status === 'approved') events.commentApproved(comment, post);
      return comment;
    },

    editRemote(objectId, commenter, replyText) {
      const comment = ownRemote(objectId, commenter.id);
      if (!comment || comment.status === 'trash') return false;
      const site = settings.get();
      const { errors, name, url, body, bodyHtml } = validateRemote(commenter, replyText);
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
  };
}
