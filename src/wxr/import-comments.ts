import { avatarHash } from '../services/comment-fields.js';
import type { ImportContext } from './import-summary.js';
import type { WxrComment, WxrItem } from './types.js';
import { COMMENT_STATUS, isoDate, text } from './wordpress-values.js';

/**
 * A post's comments from the file, parents before children: each round places the comments whose parent is placed
 * (or absent from the file); a reply whose parent never comes, a loop of replies, is placed at the top level.
 * `renderComment` makes WordPress's text sanitized comment HTML.
 */
export function importComments(ctx: ImportContext, renderComment: (text: string) => string, item: WxrItem, postId: number) {
  const { repo } = ctx;
  const local = new Map<number, number>();
  const inFile = new Set(item.comments.map((c) => c.id));

  const comment = (c: WxrComment, parentId: number | null) => {
    const already = c.id > 0 ? repo.origin(ctx.site, 'comment', c.id) : undefined;
    if (already !== undefined) {
      local.set(c.id, already);
      return ctx.skip('comments', 'already imported');
    }
    if (c.type !== '' && c.type !== 'comment') return ctx.skip('comments', `${c.type}s are not kept`);
    const status = COMMENT_STATUS[c.approved];
    if (!status) return ctx.skip('comments', `unknown status “${c.approved}”`);
    const email = c.authorEmail.trim().toLowerCase();
    const id = repo.addComment({
      postId, parentId, status,
      authorName: text(c.author),
      authorEmail: email,
      avatarHash: avatarHash(email),
      authorUrl: /^https?:\/\//i.test(c.authorUrl.trim()) ? c.authorUrl.trim() : '',
      authorIp: c.authorIp,
      userId: c.userId > 0 ? repo.origin(ctx.site, 'user', c.userId) ?? null : null,
      bodyHtml: renderComment(c.content),
      createdAt: isoDate(c.dateGmt, c.date, ctx.timeZone) ?? ctx.now().toISOString(),
    });
    repo.addOrigin(ctx.site, 'comment', c.id, null, id);
    local.set(c.id, id);
    ctx.summary.imported.comments += 1;
  };

  let pending = item.comments;
  while (pending.length > 0) {
    const waiting: WxrComment[] = [];
    for (const c of pending) {
      const parentInFile = c.parentId !== 0 && inFile.has(c.parentId);
      const parent = c.parentId === 0 ? null : local.get(c.parentId) ?? repo.origin(ctx.site, 'comment', c.parentId);
      if (parent === undefined && parentInFile) {
        waiting.push(c);
        continue;
      }
      comment(c, parent ?? null);
    }
    if (waiting.length === pending.length) {
      for (const c of waiting) comment(c, null);
      break;
    }
    pending = waiting;
  }
}
