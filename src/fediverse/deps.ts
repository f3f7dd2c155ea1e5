import type { Logger } from 'pino';
import type { FediBlocksRepository } from '../repositories/fedi-blocks.js';
import type { FediFollowersRepository } from '../repositories/fedi-followers.js';
import type { FediKeysRepository } from '../repositories/fedi-keys.js';
import type { PostsService } from '../services/posts.js';
import type { SettingsService } from '../services/settings.js';
import type { KvStore, MessageQueue } from './fedify.js';

/** What the federation works with; replies and reactions add their repositories and services here. */
export interface FediverseDeps {
  settings: SettingsService;
  posts: PostsService;
  followers: FediFollowersRepository;
  blocks: FediBlocksRepository;
  keys: FediKeysRepository;
  kv: KvStore;
  queue: MessageQueue;
  /** Tests only: remote fetches may reach loopback and private addresses. */
  allowPrivateAddress: boolean;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now: () => number;
}
