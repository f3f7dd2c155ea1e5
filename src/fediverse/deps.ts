import type { Logger } from 'pino';
import type { FediBlocksRepository } from '../repositories/fedi-blocks.js';
import type { FediFollowersRepository } from '../repositories/fedi-followers.js';
import type { FediKeysRepository } from '../repositories/fedi-keys.js';
import type { FediReactionsRepository } from '../repositories/fedi-reactions.js';
import type { CommentersService } from '../services/commenters.js';
import type { CommentsService } from '../services/comments.js';
import type { PostsService } from '../services/posts.js';
import type { SiteChanges } from '../services/site-changes.js';
import type { SettingsService } from '../services/settings.js';
import type { KvStore, MessageQueue } from './fedify.js';
import type { FediUndeliveredRepository } from '../repositories/fedi-undelivered.js';
import type { DeliveryRetry } from './delivery-retry.js';

/** What the federation works with; replies and reactions add their repositories and services here. */
export interface FediverseDeps {
  settings: SettingsService;
  posts: PostsService;
  followers: FediFollowersRepository;
  blocks: FediBlocksRepository;
  keys: FediKeysRepository;
  /** Replies become comments through the comments service's rules; their authors are 'fediverse' commenters. */
  comments: CommentsService;
  commenters: CommentersService;
  reactions: FediReactionsRepository;
  /** Reactions change what a post's page shows. */
  changes: SiteChanges;
  kv: KvStore;
  queue: MessageQueue;
  /** Where deliveries given up are written down for the admin. */
  undelivered: Pick<FediUndeliveredRepository, 'record'>;
  /** How deliveries are retried (tests shorten the waits); DELIVERY_RETRY when absent. */
  deliveryRetry?: DeliveryRetry;
  /** Tests only: remote fetches may reach loopback and private addresses. */
  allowPrivateAddress: boolean;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now: () => number;
}
