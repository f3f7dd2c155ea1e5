import crypto from 'node:crypto';
import type { Recipient } from './fedify.js';
import type { Follower } from '../repositories/fedi-followers.js';

/** An id for an activity the blog sends: under its actor, unique. */
export const activityId = (actorUri: URL, kind: string) => new URL(`#${kind}/${crypto.randomUUID()}`, actorUri);

/** A stored follower as a delivery target (its shared inbox when it has one). */
export const recipientOf = (follower: Follower): Recipient => ({
  id: new URL(follower.actorUri),
  inboxId: new URL(follower.inbox),
  endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
});
