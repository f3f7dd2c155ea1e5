import type { CommentStatus } from '../models.js';
import type { CommentsRepository } from '../repositories/comments.js';

export type ModerationAction = 'approve' | 'unapprove' | 'spam' | 'notSpam' | 'trash' | 'restore' | 'delete';

/** Where each action takes a comment; "not spam" and "restore" send it back to the queue, as WordPress does. */
const TARGET: Record<Exclude<ModerationAction, 'delete'>, CommentStatus> = {
  approve: 'approved',
  unapprove: 'pending',
  spam: 'spam',
  notSpam: 'pending',
  trash: 'trash',
  restore: 'pending',
};

export interface ModerationService {
  /** Applies an action to a comment; false when there is no such comment. */
  apply(action: ModerationAction, commentId: number): boolean;
  counts(): Record<CommentStatus, number>;
}

export function createModerationService(comments: CommentsRepository): ModerationService {
  return {
    apply: (action, id) => (action === 'delete' ? comments.delete(id) : comments.setStatus(id, TARGET[action])),
    counts: () => comments.countByStatus(),
  };
}
