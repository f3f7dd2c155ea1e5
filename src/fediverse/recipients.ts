import crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { checkHost } from '../services/public-address.js';
import { plainText } from '../text.js';
import type { Recipient } from './fedify.js';
import type { Follower } from '../repositories/fedi-followers.js';

/** An id for an activity the blog sends: under its actor, unique. */
export const activityId = (actorUri: URL, kind: string) => new URL(`#${kind}/${crypto.randomUUID()}`, actorUri);

/**
 * `@user@host` from the actor's preferred username and its id's host name, without a port, as the block list keeps
 * handles (no WebFinger round trip).
 */
export const handleOf = (actorId: URL, preferredUsername: string | undefined) => `@${plainText(preferredUsername, 100)}@${actorId.hostname}`;

/** The inbox as a URL when it is https, or null: nothing is delivered over plain http. */
function httpsUrl(inbox: string): URL | null {
  const url = URL.canParse(inbox) ? new URL(inbox) : null;
  return url?.protocol === 'https:' ? url : null;
}

/**
 * Whether every address of the host is public; the test-only setting lets loopback through too (fake instances
 * listen on 127.0.0.1), never link-local or private ranges.
 */
async function publicHost(hostname: string, allowLoopback: boolean): Promise<boolean> {
  const check = await checkHost(hostname, allowLoopback);
  const ranges = allowLoopback ? ['unicast', 'loopback'] : ['unicast'];
  return 'addresses' in check && check.addresses.every(({ address }) => ranges.includes(ipaddr.process(address).range()));
}

/** Whether the blog may POST to this inbox (Fedify's delivery checks no address itself). */
export async function deliverableInbox(inbox: string, allowLoopback: boolean): Promise<boolean> {
  const url = httpsUrl(inbox);
  return url !== null && publicHost(url.hostname, allowLoopback);
}

/**
 * The followers whose inbox and shared inbox may be delivered to, checked again at each send (a row may predate the
 * check, or its host's addresses may have changed since it followed); each host is looked up once.
 */
export async function deliverableFollowers(rows: Follower[], allowLoopback: boolean): Promise<Follower[]> {
  const hosts = new Map<string, Promise<boolean>>();
  const ok = async (inbox: string | null) => {
    if (inbox === null) return true;
    const url = httpsUrl(inbox);
    if (!url) return false;
    if (!hosts.has(url.hostname)) hosts.set(url.hostname, publicHost(url.hostname, allowLoopback));
    return hosts.get(url.hostname)!;
  };
  const verdicts = await Promise.all(rows.map(async (row) => (await ok(row.inbox)) && (await ok(row.sharedInbox))));
  return rows.filter((_row, i) => verdicts[i]);
}

/** A stored follower as a delivery target (its shared inbox when it has one). */
export const recipientOf = (follower: Follower): Recipient => ({
  id: new URL(follower.actorUri),
  inboxId: new URL(follower.inbox),
  endpoints: follower.sharedInbox ? { sharedInbox: new URL(follower.sharedInbox) } : null,
});
