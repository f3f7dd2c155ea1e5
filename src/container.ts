import type { Db } from './db/open.js';
import { createGroupCommit } from './db/group-commit.js';
import type { Config } from './config.js';
import { createCommentersRepository } from './repositories/commenters.js';
import { createFediBlocksRepository } from './repositories/fedi-blocks.js';
import { createFediCommentAuthorsRepository } from './repositories/fedi-comment-authors.js';
import { createFediBlocks } from './fediverse/blocks.js';
import { createMastodonAppsRepository } from './repositories/mastodon-apps.js';
import { createMastodonLogin } from './services/mastodon-login.js';
import { createCommentsRepository } from './repositories/comments.js';
import { createMediaRepository } from './repositories/media.js';
import { createPostsRepository } from './repositories/posts.js';
import { createSearchRepository } from './repositories/search.js';
import { createPostsAdminRepository } from './repositories/posts-admin.js';
import { createPermalinkHistory } from './services/permalink-history.js';
import { createPostEditor } from './services/post-editor.js';
import { createRevisionsRepository } from './repositories/revisions.js';
import { createRevisions } from './services/revisions.js';
import { createPostPasswords } from './services/post-passwords.js';
import { createScheduledPosts } from './services/scheduled-posts.js';
import { createSettingsRepository } from './repositories/settings.js';
import { createTermsRepository } from './repositories/terms.js';
import { createUsersRepository } from './repositories/users.js';
import { createHealthRepository } from './repositories/health.js';
import { createOutsideWrites } from './repositories/outside-writes.js';
import { createWxrImportRepository } from './repositories/wxr-import.js';
import { importedComment, importedPost } from './wxr/content.js';
import { importWxr } from './wxr/import.js';
import { createImportJobs, type ImportProgress } from './wxr/jobs.js';
import { readWxr } from './wxr/reader.js';
import { downloadImportedMedia } from './wxr/download-media.js';
import type { WxrChannel } from './wxr/types.js';
import { createMediaDownloadsRepository } from './repositories/media-downloads.js';
import { createHealthService } from './services/health.js';
import { createPendingWorkRepository } from './repositories/pending-work.js';
import { createStoredHtmlService } from './services/stored-html.js';
import { createCommentersService } from './services/commenters.js';
import { createCommentsService } from './services/comments.js';
import { createMediaService } from './services/media.js';
import { withFeaturedPosts } from './services/featured-images.js';
import { createModerationService } from './services/moderation.js';
import { allOf, type BlogEvents } from './services/blog-events.js';
import { createModerationNotices } from './mail/notices.js';
import { createFeedsService } from './services/feeds.js';
import { createCommentFeedsService } from './services/comment-feeds.js';
import { createCommentFeedRepository } from './repositories/comment-feed.js';
import { createPostsService } from './services/posts.js';
import { createSearchService } from './services/search.js';
import { createSettingsService } from './services/settings.js';
import { createUsersService } from './services/users.js';
import { createUserAdminService } from './services/user-admin.js';
import { createPasswordResetsRepository } from './repositories/password-resets.js';
import { createPasswordReset } from './services/password-reset.js';
import { createPageCache } from './cache/index.js';
import { createWxrExportRepository } from './repositories/wxr-export.js';
import { createWxrExport } from './services/wxr-export.js';
import { createWpOriginsRepository } from './repositories/wp-origins.js';
import { createWordPressLinks } from './services/wordpress-links.js';
import { createSubscriptionsRepository } from './repositories/subscriptions.js';
import { createSubscriptions } from './services/subscriptions.js';
import { createOutboxRepository } from './repositories/outbox.js';
import { createMailer } from './mail/mailer.js';
import { createMailWorker } from './mail/worker.js';
import { createFediverse } from './fediverse/index.js';
import { createSqliteKvStore } from './fediverse/kv-store.js';
import { createSqliteMessageQueue } from './fediverse/message-queue.js';
import { createFediKvRepository } from './repositories/fedi-kv.js';
import { createFediQueueRepository } from './repositories/fedi-queue.js';
import { createFediKeysRepository } from './repositories/fedi-keys.js';
import { createFediFollowersRepository } from './repositories/fedi-followers.js';
import { createFediUndeliveredRepository } from './repositories/fedi-undelivered.js';
import { createOutbound } from './fediverse/outbound.js';
import type { DeliveryRetry } from './fediverse/delivery-retry.js';
import { createFediReactionsRepository } from './repositories/fedi-reactions.js';

/** How often the page cache looks for writes made by another process. */
export const OUTSIDE_WRITES_EVERY_MS = 250;

/** Wires repositories into services for one database; main.ts and the tests both build through here. */
/** Test knobs for email: retry waits in milliseconds instead of minutes. */
export interface MailOptions {
  backoffMs?: readonly number[];
}

export function createServices(db: Db, config: Pick<Config, 'publicUrl' | 'uploadsDir' | 'pageCache'> & Partial<Pick<Config, 'unlimitedComments' | 'mail' | 'fediverse'>>, secret: string, now: () => Date = () => new Date(), mailOptions: MailOptions = {}, fediOptions: { deliveryRetry?: DeliveryRetry } = {}) {
  const postsRepo = createPostsRepository(db);
  const termsRepo = createTermsRepository(db);
  const usersRepo = createUsersRepository(db);
  const commentsRepo = createCommentsRepository(db);
  // Services report what they changed; the page cache drops the pages that showed it.
  const pageCache = createPageCache({ enabled: config.pageCache, now, posts: postsRepo });
  const changes = pageCache.changes;
  const settings = createSettingsService(createSettingsRepository(db), config.publicUrl, changes);
  const transaction = <T>(fn: () => T): T => db.transaction(fn)();
  const postsAdmin = createPostsAdminRepository(db);
  // `events` is made below, with the mailer; a post goes live only after this function has returned.
  const scheduled = createScheduledPosts(postsAdmin, now, changes, { events: { postPublished: (post) => events.postPublished(post) }, findById: (id) => postsRepo.findById(id) });
  const outsideWrites = createOutsideWrites(db);
  const wxrImportRepo = createWxrImportRepository(db);
  /** Imports a WordPress export; every page may show something new afterwards. */
  /** `label` names the file in errors (an upload's own name rather than its temporary file's). */
  const wxrImport = async (file: string, onProgress?: ImportProgress, label?: string, onChannel?: (channel: WxrChannel) => void) => {
    try {
      return await importWxr({
        repo: wxrImportRepo,
        read: (progress) => readWxr(file, progress, label),
        renderPost: importedPost,
        renderComment: importedComment,
        timeZone: settings.get().timeZone,
        now,
        onProgress,
        onChannel,
      });
    } finally {
      changes.everything();
    }
  };
  const pendingWork = createPendingWorkRepository(db);
  // Deleting an image takes it off the posts it featured: their pages change too.
  const media = withFeaturedPosts(createMediaService({ media: createMediaRepository(db), settings, dir: config.uploadsDir, work: pendingWork }), postsAdmin.featuring, changes);
  const mediaDownloadsRepo = createMediaDownloadsRepository(db);
  /** `--download-media`, after an import (an admin screen could call it too); posts may change, so every page may. */
  const wxrDownloadMedia = async (options: { allowPrivate: boolean; sites?: string[]; timeoutMs?: number }) => {
    try {
      return await downloadImportedMedia({ repo: mediaDownloadsRepo, media, renderPost: (html, excerpt) => importedPost(html, excerpt, media.images), ...options });
    } finally {
      changes.everything();
    }
  };
  let lookedOutside = 0;
  const posts = createPostsService({ posts: postsRepo, terms: termsRepo, users: usersRepo, settings, transaction, now, changes });
  // Email (issue 13): the outbox and its worker keep real time, whatever clock a test gives the rest.
  const outbox = createOutboxRepository(db);
  const publicHost = new URL(config.publicUrl).hostname;
  const mailWorker = createMailWorker({
    outbox,
    transport: config.mail?.transport,
    // As WordPress: the site's title at wordpress@ its host (www. dropped), unless MAIL_FROM says otherwise.
    from: () => config.mail?.from ?? { name: settings.get().title, address: `wordpress@${new URL(settings.siteUrl()).hostname.replace(/^www\./, '')}` },
    backoffMs: mailOptions.backoffMs,
  });
  const mailer = createMailer({ outbox, enabled: config.mail?.transport !== undefined, hostname: publicHost, now: Date.now, onQueued: mailWorker.wake });
  const subscriptions = createSubscriptions({ repo: createSubscriptionsRepository(db), mailer, settings, transaction, now });
  // Publishing goes out to the Fediverse's followers (issue 15); `fediverse` is made below, and asked only later.
  const fediKv = createFediKvRepository(db);
  const fediFollowers = createFediFollowersRepository(db);
  const fediUndelivered = createFediUndeliveredRepository(db);
  const outbound = createOutbound({ settings, posts, findPost: (id) => postsRepo.findById(id), followers: fediFollowers, allowLoopback: config.fediverse?.allowPrivateAddress ?? false, pending: fediKv, undelivered: fediUndelivered, context: () => fediverse.context() });
  // Email listens here: the notices to the blog's people and the subscriptions add themselves (issue 13).
  const events: BlogEvents = allOf(createModerationNotices({ mailer, settings, users: usersRepo, comments: commentsRepo }), subscriptions.listener, outbound.listener);
  const revisions = createRevisions({ repo: createRevisionsRepository(db), now });
  // The Fediverse (issue 15): Fedify itself is loaded on the first federated request; its store and queue are SQLite's.
  const fediQueue = createFediQueueRepository(db);
  const comments = createCommentsService({ comments: commentsRepo, posts: postsRepo, users: usersRepo, settings, secret, now, changes, events, floodSeconds: config.unlimitedComments ? 0 : undefined, together: createGroupCommit(db) });
  const commenters = createCommentersService(createCommentersRepository(db));
  const fediverse = createFediverse({
    comments, commenters, reactions: createFediReactionsRepository(db), changes,
    settings, posts, followers: fediFollowers, blocks: createFediBlocksRepository(db), keys: createFediKeysRepository(db),
    kv: createSqliteKvStore(fediKv), queue: createSqliteMessageQueue(fediQueue), queued: fediQueue.count,
    undelivered: fediUndelivered, deliveryRetry: fediOptions.deliveryRetry, resume: outbound.resume,
    allowPrivateAddress: config.fediverse?.allowPrivateAddress ?? false, now: Date.now,
  });
  return {
    pageCache,
    settings,
    mailer,
    /** Started by main.ts once the server listens (and by the test app when email is on); stopped before the database closes. */
    mailWorker,
    /** Federation (WebFinger, the actor, inboxes), the followers' admin; start() after listen, stop() before the database closes. */
    fediverse,
    /** Posts delivered to the followers; the deliveries given up, for the admin. */
    fediOutbound: outbound,
    posts,
    scheduled,
    postPasswords: createPostPasswords(postsRepo, secret),
    postEditor: createPostEditor({ posts: postsRepo, admin: postsAdmin, terms: termsRepo, settings, scheduled, transaction, now, changes, revisions, images: media.images, events }),
    revisions,
    permalinks: createPermalinkHistory(postsAdmin, postsRepo, settings),
    wordpressLinks: createWordPressLinks({ origins: createWpOriginsRepository(db), posts, terms: termsRepo }),
    users: createUsersService(usersRepo, changes),
    userAdmin: createUserAdminService(usersRepo, changes),
    passwordReset: createPasswordReset({ resets: createPasswordResetsRepository(db), users: usersRepo, mailer, settings, transaction, now }),
    search: createSearchService(createSearchRepository(db), settings),
    comments,
    moderation: createModerationService({ comments: commentsRepo, posts: postsRepo, settings, transaction, now, changes, events }),
    subscriptions,
    commenters,
    /** Blocked Fediverse accounts and instances: Settings → Fediverse and the comments screen write them, the inbox reads them. */
    fediBlocks: createFediBlocks({ repo: createFediBlocksRepository(db), authors: createFediCommentAuthorsRepository(db), now }),
    mastodonLogin: createMastodonLogin({ apps: createMastodonAppsRepository(db), allowPrivateAddress: config.fediverse?.allowPrivateAddress ?? false }),
    media,
    feeds: createFeedsService({ posts, postsRepo, settings }),
    commentFeeds: createCommentFeedsService({ comments, commentFeed: createCommentFeedRepository(db), settings }),
    health: createHealthService(createHealthRepository(db)),
    wxrImport,
    wxrDownloadMedia,
    importJobs: createImportJobs(wxrImport),
    /**
     * Work the page cache does before answering: scheduled posts going live, and, at most every quarter second,
     * writes another process made (an import from the command line), which may change any page.
     */
    beforePageLookup() {
      scheduled.publishDue();
      const time = now().getTime();
      if (time - lookedOutside < OUTSIDE_WRITES_EVERY_MS) return;
      lookedOutside = time;
      if (outsideWrites.happened()) changes.everything();
    },
    wxrExport: createWxrExport({ repo: createWxrExportRepository(db), settings, now }),
    storedHtml: createStoredHtmlService({ posts: postsAdmin, comments: commentsRepo, work: pendingWork, transaction, images: media.images }),
  };
}

export type Services = ReturnType<typeof createServices>;
