import { translator } from '../i18n/index.js';
import type { User } from '../models.js';
import { postPath } from '../permalinks.js';
import type { CommentsRepository } from '../repositories/comments.js';
import type { UsersRepository } from '../repositories/users.js';
import type { BlogEvents } from '../services/blog-events.js';
import type { SettingsService } from '../services/settings.js';
import { noticeMessage } from './notice-message.js';
import type { Mailer } from './types.js';

export interface ModerationNoticesDeps {
  mailer: Mailer;
  settings: SettingsService;
  users: Pick<UsersRepository, 'findById' | 'list'>;
  comments: Pick<CommentsRepository, 'findForAdmin' | 'countByStatus'>;
}

type Recipient = User & { email: string };

/**
 * Who hears of a comment: every administrator, then the post's author; each address once (an administrator's
 * message first, so an address shared with an author account still gets the administrator's), never the account that
 * wrote the comment, never a user without an email.
 */
function recipientsOf(users: ModerationNoticesDeps['users'], postAuthorId: number, writerId: number | null): Recipient[] {
  const seen = new Set<string>();
  const candidates = [...users.list().filter((user) => user.role === 'administrator'), users.findById(postAuthorId)];
  return candidates.filter((user): user is Recipient => {
    if (!user?.email || user.id === writerId) return false;
    const address = user.email.toLowerCase();
    if (seen.has(address)) return false;
    seen.add(address);
    return true;
  });
}

/**
 * WordPress's "Email me whenever anyone posts a comment / a comment is held for moderation": a notice to the post's
 * author and the administrators as each comment is stored. Its links open the admin; nothing acts on a GET.
 */
export function createModerationNotices({ mailer, settings, users, comments }: ModerationNoticesDeps): Partial<BlogEvents> {
  return {
    commentAdded(added, post) {
      // Spam and trash are nobody's news, as in WordPress.
      const kind = added.status === 'pending' ? 'moderation-notice' : added.status === 'approved' ? 'comment-notice' : null;
      const site = settings.get();
      if (!kind || !mailer.enabled || !(kind === 'moderation-notice' ? site.moderationNotify : site.commentsNotify)) return;
      const comment = comments.findForAdmin(added.id);
      if (!comment) return;
      const base = settings.siteUrl();
      const t = translator(site.language);
      const query = new URLSearchParams({ status: comment.status, post: String(post.id) });
      for (const user of recipientsOf(users, post.authorId, comment.userId)) {
        const administrator = user.role === 'administrator';
        const message = noticeMessage(t, {
          kind,
          language: site.language,
          site: site.title,
          postTitle: post.title,
          postUrl: base + postPath(post, site.timeZone),
          authorName: comment.authorName,
          authorUrl: comment.authorUrl,
          private: administrator ? { email: comment.authorEmail, ip: comment.authorIp } : undefined,
          bodyHtml: comment.bodyHtml,
          // An author moderates the comments on their own posts only, so counts only those.
          waiting: comments.countByStatus(administrator ? {} : { postAuthorId: user.id }).pending,
          commentAdminUrl: `${base}/admin/comments/?${query}#comment-${comment.id}`,
          panelUrl: `${base}/admin/comments/?status=pending`,
        });
        mailer.queue({ kind, to: user.email, ...message });
      }
    },
  };
}
