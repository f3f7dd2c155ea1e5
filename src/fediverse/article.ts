import { Article, Hashtag, Image, PUBLIC_COLLECTION, Temporal } from './fedify.js';
import type { PostWithTerms } from '../services/posts.js';
import { postPath, tagPath } from '../permalinks.js';

/** Where the post's links point: absolute URLs built from the site's address. */
export interface ArticleLinks {
  siteUrl: string;
  timeZone: string;
  actorUri: URL;
  followersUri: URL;
}

const absolute = (siteUrl: string, path: string) => new URL(path.startsWith('/') ? `${siteUrl}${path}` : path);

/**
 * A published post as an ActivityStreams Article: its id is its permalink (the same URL answers the Article to
 * activity+json and the page to a browser). Pure: outbound deliveries (Create, Update) wrap the same object.
 */
export function postToArticle(post: PostWithTerms, { siteUrl, timeZone, actorUri, followersUri }: ArticleLinks): Article {
  const url = absolute(siteUrl, postPath(post, timeZone));
  const image = post.featuredImage;
  return new Article({
    id: url,
    url,
    name: post.title,
    summary: post.excerptHtml || null,
    content: post.bodyHtml,
    mediaType: 'text/html',
    published: post.publishedAt ? Temporal.Instant.from(post.publishedAt) : null,
    updated: post.updatedAt && post.updatedAt !== post.publishedAt ? Temporal.Instant.from(post.updatedAt) : null,
    attribution: actorUri,
    to: PUBLIC_COLLECTION,
    cc: followersUri,
    tags: post.tags.map((tag) => new Hashtag({ name: `#${tag.name.replace(/\s+/g, '')}`, href: absolute(siteUrl, tagPath(tag.slug)) })),
    image: image ? new Image({ url: absolute(siteUrl, image.src), mediaType: image.mime, name: image.name || null, width: image.width, height: image.height }) : null,
  });
}
