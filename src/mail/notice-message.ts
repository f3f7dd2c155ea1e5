import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import type { MessageKey, Translate } from '../i18n/index.js';
import type { Language } from '../models.js';
import { escapeHtml } from '../services/markdown.js';

/** What one recipient's notice about one comment says. */
export interface NoticeContent {
  kind: 'comment-notice' | 'moderation-notice';
  language: Language;
  site: string;
  postTitle: string;
  postUrl: string;
  authorName: string;
  authorUrl: string;
  /** The commenter's email and IP address: only in an administrator's message. */
  private?: { email: string; ip: string };
  /** The comment as stored (sanitized). */
  bodyHtml: string;
  /** Comments waiting for approval that this recipient moderates. */
  waiting: number;
  /** The comment's row in the admin, whose buttons (each a POST) approve, spam or trash it. */
  commentAdminUrl: string;
  panelUrl: string;
}

export interface NoticeMessage {
  subject: string;
  text: string;
  html: string;
}

/** Paragraphs and line breaks kept as lines; every tag dropped and every entity decoded. */
export function commentAsText(html: string): string {
  const lines = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n\n');
  return decodeHTML(sanitizeHtml(lines, { allowedTags: [], allowedAttributes: {} }))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const waitingKey = (count: number): MessageKey => (count === 0 ? 'mail.notice.waiting.none' : 'mail.notice.waiting.many');

/** The subject and both parts of a comment or moderation notice, in the translator's language. */
export function noticeMessage(t: Translate, c: NoticeContent): NoticeMessage {
  const held = c.kind === 'moderation-notice';
  const names = { site: c.site, title: c.postTitle };
  const heading = t(held ? 'mail.notice.heading.moderation' : 'mail.notice.heading.comment', names);
  const details: [MessageKey, string][] = [
    ['mail.notice.author', c.authorName || t('comments.anonymous')],
    ...(c.private ? ([['mail.notice.email', c.private.email], ['mail.notice.ip', c.private.ip]] as [MessageKey, string][]) : []),
    ['mail.notice.url', c.authorUrl],
  ];
  const shown = details.filter(([, value]) => value !== '');
  // An approved comment is not approved again: its notice offers spam and trash only, as WordPress's.
  const actions: MessageKey[] = held ? ['mail.notice.approve', 'mail.notice.spam', 'mail.notice.trash'] : ['mail.notice.spam', 'mail.notice.trash'];
  const waiting = t(waitingKey(c.waiting), { count: c.waiting });

  const text = [
    heading,
    `${t('mail.notice.permalink')}: ${c.postUrl}`,
    '',
    ...shown.map(([key, value]) => `${t(key)}: ${value}`),
    `${t('mail.notice.comment')}:`,
    commentAsText(c.bodyHtml),
    '',
    ...actions.map((key) => `${t(key)}: ${c.commentAdminUrl}`),
    t('mail.notice.actionsNote'),
    '',
    waiting,
    `${t('mail.notice.panel')}: ${c.panelUrl}`,
    '',
  ].join('\n');

  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const html = `<!doctype html>
<html lang="${c.language}">
<head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head>
<body>
<p>${escapeHtml(heading)}<br>${link(c.postUrl, c.postTitle)}</p>
<p>${shown.map(([key, value]) => `${escapeHtml(t(key))}: ${escapeHtml(value)}`).join('<br>\n')}</p>
<p>${escapeHtml(t('mail.notice.comment'))}:</p>
<blockquote>${c.bodyHtml}</blockquote>
<p>${actions.map((key) => link(c.commentAdminUrl, t(key))).join(' | ')}<br>
${escapeHtml(t('mail.notice.actionsNote'))}</p>
<p>${escapeHtml(waiting)}<br>${link(c.panelUrl, t('mail.notice.panel'))}</p>
</body>
</html>
`;
  return { subject: t(held ? 'mail.notice.subject.moderation' : 'mail.notice.subject.comment', names), text, html };
}
