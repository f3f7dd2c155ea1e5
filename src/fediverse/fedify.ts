/** The one door to Fedify: the polyfills load first. Import Fedify through here, and only lazily (it costs ~400 ms). */
import './polyfills.js';

export { Temporal } from '@js-temporal/polyfill';
export {
  Accept,
  Announce,
  Article,
  Create,
  Delete,
  Endpoints,
  Follow,
  Hashtag,
  Image,
  Like,
  Link,
  Note,
  Reject,
  Service,
  Tombstone,
  Undo,
  Update,
  createExponentialBackoffPolicy,
  createFederation,
  getDocumentLoader,
  exportJwk,
  generateCryptoKeyPair,
  importJwk,
  isActor,
  getActorHandle,
  PUBLIC_COLLECTION,
} from '@fedify/fedify';
export type { Activity, Object as ApObject, InboxListenerSetters, Actor, Context, Federation, InboxContext, KvKey, KvStore, KvStoreSetOptions, Message, MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions, Recipient, RequestContext, RetryPolicy } from '@fedify/fedify';
