import sanitizeHtml from 'sanitize-html';
import { COMMENT_TAGS } from '../services/comment-html.js';
import { Create, Delete, Link, Note, Update, isActor } from './fedify.js';
import type { Activity, Actor, InboxContext } from './fedify.js';
import type { Commenter, Post } from '../models.js';
import type { FediverseDeps } from './deps.js';
import type { InboxRegistry } from './inbox.js';
import { handleOf } from './recipients.js';
import { permalinkShape } from '../permalinks.js';

const COMMENT_FRAGMENT = /^#comment-(\d{1,12})$/;

/** The published post whose permalink on this blog is the URL (its fragment aside), or null. */
export function postAt(url: URL, { posts, settings }: Pick<FediverseDeps, 'posts' | 'settings'>): Post | null {
  if (url.origin !== new URL(settings.siteUrl()).origin) return null;
  const shape = permalinkShape(url.pathname);
  if (shape?.kind !== 'post') return null;
  const found = posts.postPage(shape.date, shape.slug);
  return found && 'post' in found ? found.post : null;
}

/** What a reply answers: a post, or one of its comments (by its #comment-N link or the Note it came as). */
function targetOf(inReplyTo: URL, deps: FediverseDeps): { postId: number; commentId: number | null } | null {
  const post = postAt(inReplyTo, deps);
  if (post) {
    const comment = COMMENT_FRAGMENT.exec(inReplyTo.hash);
    return { postId: post.id, commentId: comment ? Number(comment[1]) : null };
  }
  const comment = deps.comments.findByFediObject(inReplyTo.href);
  return comment ? { postId: comment.postId, commentId: comment.id } : null;
}

/** Whether what an activity carries was made on its actor's own instance (the activity's own id is checked by inbox.ts). */
const onActorHost = (activity: Activity, id: URL) => activity.actorId !== null && id.origin === activity.actorId.origin;

const hrefOf = (value: URL | Link | null) => (value instanceof Link ? value.href?.href : value?.href) ?? '';

const MENTION = /(?:^|\s)mention(?:\s|$)/;

/**
 * The Note's HTML as comment text: Mastodon's link to the blog itself (`@blog`, which opens every reply to it) dropped,
 * paragraphs made blank lines and breaks newlines, for the comment allow-list to take.
 */
export const noteText = (html: string, blogLinks: string[]) =>
  sanitizeHtml(html, {
    // Only what the comment allow-list could keep, and the paragraphs and breaks turned into lines below; a script's
    // or style's text goes with it. The comment rules sanitize the result again.
    allowedTags: [...COMMENT_TAGS, 'p', 'br'],
    allowedAttributes: false,
    exclusiveFilter: (frame) => frame.tag === 'a' && MENTION.test(frame.attribs.class ?? '') && blogLinks.includes(frame.attribs.href ?? ''),
  }).replace(/\r\n?|\n/g, ' ').replace(/<\/p\s*>\s*<p(?:\s[^>]*)?>/gi, '\n\n').replace(/<br\s*\/?>/gi, '\n');

/** The activity's actor, fetched from its instance; null when it is not one or is blocked, by account or instance. */
export async function unblockedActor(ctx: InboxContext<void>, activity: Activity, { blocks }: Pick<FediverseDeps, 'blocks'>): Promise<(Actor & { id: URL }) | null> {
  const found = await activity.getActor(ctx);
  const actor: Actor | null = isActor(found) ? found : null;
  if (!actor?.id || actor.id.href !== activity.actorId?.href) return null;
  return blocks.isBlocked(actor.id.href, handleOf(actor.id, actor.preferredUsername?.toString())) ? null : (actor as Actor & { id: URL });
}

/**
 * The activity's actor as a 'fediverse' commenter (name, https avatar, profile link, refreshed each time as a login
 * refreshes them), or null when it is not an actor or is blocked.
 */
async function authorOf(ctx: InboxContext<void>, activity: Activity, deps: FediverseDeps): Promise<Commenter | null> {
  const actor = await unblockedActor(ctx, activity, deps);
  if (!actor) return null;
  const icon = await actor.getIcon(ctx).catch(() => null);
  return deps.commenters.signIn({
    provider: 'fediverse',
    id: actor.id.href,
    displayName: actor.name?.toString() || actor.preferredUsername?.toString(),
    pictureUrl: hrefOf(icon?.url ?? null),
    profileUrl: hrefOf(actor.url) || actor.id.href,
  });
}

/** Where Mastodon's mention of the blog points: the actor's url (the home page) or its id. */
const blogLinks = (ctx: InboxContext<void>, { settings }: FediverseDeps) => [`${settings.siteUrl()}/`, ctx.getActorUri(settings.fediverseAccount().user).href];

/** The Note an activity carries, when it is the actor's own, made on the actor's instance. */
async function ownNote(ctx: InboxContext<void>, activity: Create | Update): Promise<(Note & { id: URL }) | null> {
  const note = await activity.getObject(ctx);
  if (!(note instanceof Note) || !note.id || note.attributionId?.href !== activity.actorId?.href) return null;
  return onActorHost(activity, note.id) ? (note as Note & { id: URL }) : null;
}

/**
 * Replies to the blog's posts become comments through the comments service (its allow-list and moderation, as a
 * guest's); Update and Delete from the same actor change or trash them. Anything else (a Note that answers something
 * that is not a public post of this blog, a blocked author, another actor's Note) is dropped without a word.
 */
export function registerReplies(inbox: InboxRegistry) {
  inbox.on(Create, async (ctx, create, deps) => {
    const note = await ownNote(ctx, create);
    const target = note?.replyTargetId ? targetOf(note.replyTargetId, deps) : null;
    if (!note || !target) return;
    const commenter = await authorOf(ctx, create, deps);
    if (!commenter) return;
    deps.comments.receiveRemote({ postId: target.postId, parentId: target.commentId, commenter, text: noteText(note.content?.toString() ?? '', blogLinks(ctx, deps)), objectId: note.id.href });
  });

  inbox.on(Update, async (ctx, update, deps) => {
    const note = await ownNote(ctx, update);
    if (!note || !deps.comments.findByFediObject(note.id.href)) return;
    const commenter = await authorOf(ctx, update, deps);
    if (commenter) deps.comments.editRemote(note.id.href, commenter, noteText(note.content?.toString() ?? '', blogLinks(ctx, deps)));
  });

  // The object is a Tombstone or the Note's id: matched by id, as the Note itself is gone.
  inbox.on(Delete, async (_ctx, del, { comments, commenters }) => {
    const objectId = del.objectId;
    if (!objectId || !onActorHost(del, objectId)) return;
    const comment = comments.findByFediObject(objectId.href);
    const author = comment?.commenterId ? commenters.findById(comment.commenterId) : undefined;
    if (author?.provider === 'fediverse' && author.providerUid === del.actorId!.href) comments.removeRemote(objectId.href, author.id);
  });
}
