import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import compression from 'compression';
import { strongEtag } from './cache/entry.js';
import type session from 'express-session';
import { createPassport, enabledProviders, signInOrigins } from './auth/passport.js';
import { accessLog, cacheHitLog } from './http/access-log.js';
import { compressWholeBodies } from './http/compress-whole.js';
import { cachePolicy, carriesPersonalCookie } from './http/cache-policy.js';
import { parseCookies } from './http/cookies.js';
import type { Limiters } from './http/rate-limit.js';
import { adminIdleExpiry, sessionsWhereNeeded } from './http/sessions.js';
import { authRouter } from './routes/auth.js';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { Services } from './container.js';
import { createAssets } from './http/assets.js';
import { errorHandler, notFoundHandler } from './http/error-pages.js';
import { localsMiddleware } from './http/locals.js';
import { viewEngine } from './http/view-engine.js';
import { securityHeaders } from './http/security.js';
import { trailingSlash } from './http/trailing-slash.js';
import { healthRouter } from './routes/health.js';
import { publicDir, viewsDir } from './paths.js';
import { commentsRouter } from './routes/comments.js';
import { subscriptionsRouter } from './routes/subscriptions.js';
import { feedsRouter } from './routes/feeds.js';
import { readerRouter } from './routes/reader.js';
import { adminRouter } from './routes/admin/index.js';
import { oldPermalinks } from './routes/old-permalinks.js';
import { previewRouter } from './routes/preview.js';
import { postPasswordRouter } from './routes/post-password.js';
import { uploadedFiles } from './http/uploads.js';
import { UPLOADS_BASE } from './permalinks.js';
import { federation } from './http/federation.js';
import { inboxLimit } from './http/inbox-limit.js';
import { isFederated } from './fediverse/paths.js';

export interface AppDeps {
  config: Config;
  services: Services;
  /** Signs cookies. */
  secret: string;
  /** Where login sessions live (SQLite in production and tests); it can end one account's other sessions. */
  sessionStore: session.Store & { destroyUserSessions(userKey: string, keepSid: string): unknown };
  logger?: Logger;
  /** Tests shorten the wait for a login provider that does not answer. */
  providerTimeoutMs?: number;
  /** While no one can log in, the one-time setup page asks for this token (main.ts prints it). */
  setupToken?: string;
  /** Rate limiters whose counts outlive a restart (SQLite in production and tests). */
  limiters: Limiters;
}

export function createApp({ config, services, secret, sessionStore, logger = pino({ level: 'silent' }), providerTimeoutMs, setupToken, limiters }: AppDeps) {
  const app = express();
  app.set('view engine', 'ejs');
  app.engine('ejs', viewEngine(viewsDir, config.env === 'production'));
  app.set('views', viewsDir);
  app.set('trust proxy', config.trustProxy);
  app.set('x-powered-by', false);
  if (config.env === 'production') app.enable('view cache');
  // Strong, and the same hash the page cache gives its entries, so a client's If-None-Match works on both paths.
  app.set('etag', (body: Buffer | string) => strongEtag(body));

  app.use(accessLog(app, logger, app.get('trust proxy fn')));
  app.use(cachePolicy);
  app.use(compression());
  // After compression, which passes through what this has encoded; before the recorder, which keeps the page as rendered.
  app.use(compressWholeBodies());
  // After compression, so it sees the page as rendered (see src/cache/record.ts).
  app.use((req, res, next) => services.pageCache.record(req, res, next));
  const assets = createAssets(publicDir);
  const https = config.publicUrl.startsWith('https:');
  app.use(securityHeaders(https, signInOrigins(config.providers)));
  // Before the trailing-slash redirects and sessions: ActivityPub clients get Fedify's answers as they are.
  app.use(inboxLimit(limiters));
  app.use(federation(services.fediverse, services.settings));
  app.use(healthRouter(services.health));
  app.use(assets.serve);
  app.use(UPLOADS_BASE, uploadedFiles(config.uploadsDir));
  const locals = localsMiddleware(services.settings, assets.asset);
  app.use(locals);
  app.use(parseCookies(secret));
  app.use(sessionsWhereNeeded(sessionStore, secret, https));
  const passport = createPassport({ providers: config.providers, publicUrl: config.publicUrl, commenters: services.commenters, users: services.users });
  const restoreLogin = passport.session();
  app.use(passport.initialize());
  app.use((req, res, next) => (req.session ? restoreLogin(req, res, next) : next()));
  app.use(adminIdleExpiry);
  app.use(trailingSlash);
  // Scheduled posts go public on the first request after their time: one comparison when none is due.
  app.use((_req, _res, next) => {
    services.scheduled.publishDue();
    next();
  });
  app.use(feedsRouter({ feeds: services.feeds, commentFeeds: services.commentFeeds, posts: services.posts, movedTo: services.permalinks.currentPathFor }));
  const providers = enabledProviders(config.providers);
  const login = { providers, secret };
  const endOtherSessions = (userKey: string, keepSid: string) => void sessionStore.destroyUserSessions(userKey, keepSid);
  app.use('/admin', adminRouter({ services, passport, publicUrl: config.publicUrl, secret, setupToken, endOtherSessions, limiters }));
  app.use(authRouter({ passport, providers, posts: services.posts, publicUrl: config.publicUrl, siteUrl: services.settings.siteUrl, secret, providerTimeoutMs, limiters,
    mastodon: { login: services.mastodonLogin, commenters: services.commenters, enabled: () => services.settings.get().fediverseEnabled, siteTitle: () => services.settings.get().title } }));
  // The comment form offers its email boxes only when email is on (the same for every reader: the form stays cacheable).
  app.locals.emailSubscriptions = services.mailer.enabled;
  // Settings → Discussion says when email is off, or where development mode writes it (never SMTP_URL: it holds a password).
  app.locals.mailSetup = { enabled: services.mailer.enabled, dir: config.mail.transport && 'dir' in config.mail.transport ? config.mail.transport.dir : undefined };
  app.use(subscriptionsRouter({ subscriptions: services.subscriptions, publicUrl: config.publicUrl }));
  app.use(commentsRouter({ comments: services.comments, posts: services.posts, publicUrl: config.publicUrl, secureCookies: https, login, limiters, unlimited: config.unlimitedComments }));
  app.use(postPasswordRouter({ postPasswords: services.postPasswords, posts: services.posts, comments: services.comments, publicUrl: config.publicUrl, secureCookies: https, login, limiters }));
  app.use(previewRouter({ posts: services.posts, previewOf: services.permalinks.previewOf }));
  app.use(readerRouter({ posts: services.posts, search: services.search, comments: services.comments, login, movedTo: services.permalinks.currentPathFor, wordpressLinks: services.wordpressLinks }));
  app.use(oldPermalinks(services.permalinks.currentPathFor));
  app.use(notFoundHandler);
  app.use(errorHandler(logger, locals));
  // Anonymous readers' pages are answered from the page cache before Express does any work: an Express app is
  // a request handler that calls app.handle first, so the cache goes there, and servers, tests and the
  // benchmark (http.createServer(app), app.listen, supertest) all get it.
  const handled = app as typeof app & { handle: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void };
  handled.handle = services.pageCache.front(handled.handle.bind(app), { isPersonal: carriesPersonalCookie, bypass: isFederated, beforeLookup: () => services.beforePageLookup(), onHit: cacheHitLog(logger, app.get('trust proxy fn')) });
  return app;
}
