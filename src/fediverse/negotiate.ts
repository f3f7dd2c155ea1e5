import type { Context } from './fedify.js';
import { postToArticle } from './article.js';
import { isProtected } from '../services/post-passwords.js';
import type { FediverseDeps } from './deps.js';
import { permalinkShape } from '../permalinks.js';

/**
 * The ActivityStreams form of the published post or page at a path, as JSON-LD. Undefined when no published post
 * or page lives at exactly that path (the reader's routes answer: a listing, a moved post's redirect, the 404);
 * null when one does but not for everyone to read (a password-protected one).
 */
export async function articleAt(path: string, ctx: Context<void>, { posts, settings }: Pick<FediverseDeps, 'posts' | 'settings'>): Promise<unknown> {
  const shape = permalinkShape(path);
  const found = shape?.kind === 'post' ? posts.postPage(shape.date, shape.slug) : shape ? posts.staticPage(shape.slugs) : null;
  if (!found || !('post' in found)) return undefined;
  if (found.post.status !== 'published' || isProtected(found.post)) return null;
  const { user } = settings.fediverseAccount();
  const article = postToArticle(found.post, {
    siteUrl: settings.siteUrl(),
    timeZone: settings.get().timeZone,
    actorUri: ctx.getActorUri(user),
    followersUri: ctx.getFollowersUri(user),
  });
  return article.toJsonLd({ contextLoader: ctx.contextLoader });
}
