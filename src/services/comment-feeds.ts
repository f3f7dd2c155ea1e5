import { atomXml, rssXml, type FeedDocument } from './feed-xml.js';
import { atomFeedPath, commentPagePath, COMMENTS_BASE, feedPath, postPath } from '../permalinks.js';
import type { CommentFeedRepository, FeedComment } from '../repositories/comment-feed.js';
import type { Post } from '../models.js';
import { translator } from '../i18n/index.js';
import type { SettingsService } from './settings.js';
import type { CommentsService } from './comments.js';
import { absolutize, type FeedFormat } from './feeds.js';
import { escapeHtml, firstWords, htmlToText } from './markdown.js';

/** The blog's comments, or one post's (a published post without a password: see routes/feeds.ts). */
export type CommentFeedSubject = { kind: 'site' } | { kind: 'post'; post: Post };

/** WordPress's comments feeds: /comments/feed/ and a post's own, the newest approved comments first. */
export function createCommentFeedsService({ comments, commentFeed, settings }: {
  comments: Pick<CommentsService, 'pageOf'>;
  commentFeed: CommentFeedRepository;
  settings: SettingsService;
}) {
  return {
    feed(subject: CommentFeedSubject, format: FeedFormat): string {
      const site = settings.get();
      const t = translator(site.language);
      const siteUrl = settings.siteUrl();
      const listed = subject.kind === 'site'
        ? commentFeed.latest(site.postsPerPage)
        : commentFeed.latestOnPost(subject.post.id, site.postsPerPage);
      const base = subject.kind === 'site' ? COMMENTS_BASE : postPath(subject.post, site.timeZone);
      // The comment's own page of the thread when comments are paged, as its link on the post page.
      const linkOf = (comment: FeedComment) => {
        const page = comments.pageOf(comment, []);
        return `${siteUrl}${commentPagePath(postPath(comment.post, site.timeZone), page)}#comment-${comment.id}`;
      };
      const document: FeedDocument = {
        title: subject.kind === 'site' ? t('feed.comments.title', { site: site.title }) : t('feed.postComments.title', { title: subject.post.title }),
        description: site.tagline,
        link: subject.kind === 'site' ? `${siteUrl}/` : `${siteUrl}${base}`,
        selfLinks: { rss: `${siteUrl}${feedPath(base)}`, atom: `${siteUrl}${atomFeedPath(base)}` },
        language: site.language,
        updated: new Date(listed[0]?.createdAt ?? Date.now()),
        entries: listed.map((comment) => {
          const author = comment.authorName || t('comments.anonymous');
          return {
            title: subject.kind === 'site' ? t('feed.comment.title', { title: comment.post.title, author }) : t('feed.comment.by', { author }),
            link: linkOf(comment),
            published: new Date(comment.createdAt),
            updated: new Date(comment.createdAt),
            summaryHtml: escapeHtml(firstWords(htmlToText(comment.bodyHtml), 55)),
            contentHtml: absolutize(comment.bodyHtml, siteUrl),
            author,
            categories: [],
          };
        }),
      };
      return format === 'rss' ? rssXml(document) : atomXml(document);
    },
  };
}

export type CommentFeedsService = ReturnType<typeof createCommentFeedsService>;
