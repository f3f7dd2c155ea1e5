import { escapeUTF8 as escapeHtml } from 'entities';
import type { Translate } from '../i18n/index.js';
import { commentAsText } from '../mail/notice-message.js';
import type { OutgoingMail } from '../mail/types.js';

/** Where a message's links go, absolute. */
export interface MailLinks {
  /** The page listing the address's subscriptions. */
  manage: string;
  /** RFC 8058's one-click address (subscription messages only). */
  unsubscribe?: string;
}

type Body = { lines: string[]; html: string; action?: { url: string; label: string } };

/** Both parts of a message, with the footer every message has: why it came, how to manage or end it. */
function compose(t: Translate, kind: OutgoingMail['kind'], to: string, subject: string, body: Body, links: MailLinks): OutgoingMail {
  const footer = [t('subscriptions.mail.manage'), links.manage];
  if (links.unsubscribe) footer.push(t('subscriptions.mail.unsubscribe'), links.unsubscribe);
  const text = [...body.lines, ...(body.action ? [`${body.action.label}: ${body.action.url}`] : []), '', '--', ...footer].join('\n');
  const action = body.action ? `<p><a href="${escapeHtml(body.action.url)}">${escapeHtml(body.action.label)}</a></p>` : '';
  const unsubscribe = links.unsubscribe ? ` · <a href="${escapeHtml(links.unsubscribe)}">${escapeHtml(t('subscriptions.mail.unsubscribe'))}</a>` : '';
  const html = `<!doctype html><html><body>${body.html}${action}<hr><p><small><a href="${escapeHtml(links.manage)}">${escapeHtml(t('subscriptions.mail.manage'))}</a>${unsubscribe}</small></p></body></html>`;
  return { kind, to, subject, text, html, ...(links.unsubscribe ? { unsubscribeUrl: links.unsubscribe } : {}) };
}

const paragraph = (line: string) => `<p>${escapeHtml(line)}</p>`;

export function confirmationMail(t: Translate, to: string, site: string, what: string[], confirmUrl: string, links: MailLinks) {
  const lines = [t('subscriptions.mail.confirm.intro', { site }), ...what.map((w) => `- ${w}`), '', t('subscriptions.mail.confirm.ignore')];
  const html = `${paragraph(lines[0])}<ul>${what.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>${paragraph(lines.at(-1)!)}`;
  return compose(t, 'subscription-confirm', to, t('subscriptions.mail.confirm.subject', { site }), { lines, html, action: { url: confirmUrl, label: t('subscriptions.mail.confirm.action') } }, links);
}

export function newCommentMail(t: Translate, to: string, comment: { authorName: string; bodyHtml: string; url: string }, postTitle: string, links: MailLinks) {
  const intro = t('subscriptions.mail.comment.intro', { name: comment.authorName, title: postTitle });
  const lines = [intro, '', commentAsText(comment.bodyHtml), ''];
  const html = `${paragraph(intro)}<blockquote>${comment.bodyHtml}</blockquote>`;
  return compose(t, 'new-comment', to, t('subscriptions.mail.comment.subject', { title: postTitle }), { lines, html, action: { url: comment.url, label: t('subscriptions.mail.comment.action') } }, links);
}

export function newPostMail(t: Translate, to: string, post: { title: string; excerptHtml: string; url: string }, site: string, links: MailLinks) {
  const intro = t('subscriptions.mail.post.intro', { site });
  const lines = [intro, '', post.title, '', commentAsText(post.excerptHtml), ''];
  const html = `${paragraph(intro)}<h1>${escapeHtml(post.title)}</h1>${post.excerptHtml}`;
  return compose(t, 'new-post', to, t('subscriptions.mail.post.subject', { site, title: post.title }), { lines, html, action: { url: post.url, label: t('subscriptions.mail.post.action') } }, links);
}
