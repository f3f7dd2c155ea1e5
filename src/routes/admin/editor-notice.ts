import type { ViewHelpers } from '../../http/locals.js';
import type { Post, PostType } from '../../models.js';

/** What a save or Switch to draft did, named in the editor's `?done=`. */
const DONE = ['published', 'updated', 'scheduled', 'saved', 'unpublished'] as const;
export type EditorDone = (typeof DONE)[number];

/** Names what a save did to a post, from its status before and after. */
export function doneAfter(before: Post | undefined, after: Post): EditorDone {
  if (after.status === 'published') return before?.status === 'published' ? 'updated' : 'published';
  if (after.status === 'scheduled') return 'scheduled';
  return before?.status === 'published' || before?.status === 'scheduled' ? 'unpublished' : 'saved';
}

export interface EditorNotice {
  text: string;
  link: { href: string; label: string };
}

/**
 * WordPress's notices after a save: what happened and where to see it (the post when it is public, its private
 * preview otherwise). Undefined for a `done` that is none of ours.
 */
export function editorNotice(done: string, post: Post, type: PostType, helpers: ViewHelpers): EditorNotice | undefined {
  if (!(DONE as readonly string[]).includes(done)) return undefined;
  const { t } = helpers;
  const preview = { href: `/p/${post.previewKey}/`, label: t('admin.posts.notice.preview') };
  switch (done as EditorDone) {
    case 'published':
    case 'updated':
      if (post.status !== 'published') return undefined; // an old link after the post changed: say nothing wrong
      return { text: t(`admin.posts.type.${type}.${done as 'published' | 'updated'}`), link: { href: helpers.postUrl(post), label: t(`admin.posts.type.${type}.view`) } };
    case 'scheduled':
      if (post.status !== 'scheduled' || !post.publishedAt) return undefined;
      return { text: t(`admin.posts.type.${type}.scheduled`, { date: helpers.dateTime(post.publishedAt) }), link: preview };
    case 'unpublished':
    case 'saved':
      if (post.status !== 'draft') return undefined;
      return { text: done === 'saved' ? t('admin.posts.notice.draftSaved') : t(`admin.posts.type.${type}.unpublished`), link: preview };
  }
}
