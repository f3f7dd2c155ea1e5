import type { Context } from './fedify.js';
import { postToArticle } from './article.js';
import type { PostWithTerms } from '../services/posts.js';
import type { FediverseDeps } from './deps.js';

/** A public post or page (see ./public-post.ts) in its ActivityStreams form, as JSON-LD. */
export async function articleJson(post: PostWithTerms, ctx: Context<void>, { settings }: Pick<FediverseDeps, 'settings'>): Promise<unknown> {
  const { user } = settings.fediverseAccount();
  const article = postToArticle(post, {
    siteUrl: settings.siteUrl(),
    timeZone: settings.get().timeZone,
    actorUri: ctx.getActorUri(user),
    followersUri: ctx.getFollowersUri(user),
  });
  return article.toJsonLd({ contextLoader: ctx.contextLoader });
}
