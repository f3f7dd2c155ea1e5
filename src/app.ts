import cookieParser from 'cookie-parser';
import express from 'express';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import type { Services } from './container.js';
import { createAssets } from './http/assets.js';
import { errorHandler, notFoundHandler } from './http/error-pages.js';
import { localsMiddleware } from './http/locals.js';
import { securityHeaders } from './http/security.js';
import { trailingSlash } from './http/trailing-slash.js';
import { publicDir, viewsDir } from './paths.js';
import { commentsRouter } from './routes/comments.js';
import { feedsRouter } from './routes/feeds.js';
import { readerRouter } from './routes/reader.js';

export interface AppDeps {
  config: Config;
  services: Services;
  /** Signs cookies. */
  secret: string;
  logger?: Logger;
}

export function createApp({ config, services, secret, logger = pino({ level: 'silent' }) }: AppDeps) {
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.set('trust proxy', config.trustProxy);
  app.set('x-powered-by', false);
  if (config.env === 'production') app.enable('view cache');

  const assets = createAssets(publicDir);
  const https = config.publicUrl.startsWith('https:');
  app.use(securityHeaders(https));
  app.use(assets.serve);
  app.use(localsMiddleware(services.settings.get, config.publicUrl, assets.asset));
  app.use(cookieParser(secret));
  app.use(trailingSlash);
  app.use(feedsRouter(services.feeds));
  app.use(commentsRouter({ comments: services.comments, posts: services.posts, publicUrl: config.publicUrl, secureCookies: https }));
  app.use(readerRouter({ posts: services.posts, search: services.search, comments: services.comments }));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
