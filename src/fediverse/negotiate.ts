import type { Context } from './fedify.js';
import { postToArticle } from './article.js';
import { isProtected } from '../services/post-passwords.js';
import type { FediverseDeps } from './deps.js';

const POST_PATH = /^\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\/$/;
const PAGE_PATH = /^\/((?:[^/]+\/){1,10})$/;

const decode = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

/**
 * The ActivityStreams form of the published post or page at a path, as JSON-LD; null when there is none for
 * everyone to read (a draft, a trashed or scheduled post, a password-protected one, or no post at all).
 */
export async function articleAt(path: string, ctx: Context<void>, { posts, settings }: Pick<FediverseDeps, 'posts' | 'settings'>): Promise<unknown> {
  const dated = POST_PATH.exec(path);
  const page = dated ? null : PAGE_PATH.exec(path);
  let found;
  if (dated) {
    const slug = decode(dated[4]);
    found = slug === null ? null : posts.postPage({ year: dated[1], month: dated[2], day: dated[3] }, slug);
  } else if (page) {
    const slugs = page[1].slice(0, -1).split('/').map(decode);
    found = slugs.includes(null) ? null : posts.staticPage(slugs as string[]);
  }
  if (!found || !('post' in found) || found.post.status !== 'published' || isProtected(found.post)) return null;
  const { user } = settings.fediverseAccount();
  const article = postToArticle(found.post, {
    siteUrl: settings.siteUrl(),
    timeZone: settings.get().timeZone,
    actorUri: ctx.getActorUri(user),
    followersUri: ctx.getFollowersUri(user),
  });
  return article.toJsonLd({ contextLoader: ctx.contextLoader });
}
