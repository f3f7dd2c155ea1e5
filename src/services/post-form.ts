import type { Message } from '../i18n/index.js';
import type { Post, PostStatus, PostType, Term } from '../models.js';
import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import type { PostsRepository } from '../repositories/posts.js';
import { checkParent } from './page-parent.js';
import { localMinute, publishTiming } from './publish-actions.js';
import { readableSlug, wordpressSlugFrom } from './slugs.js';

/** What the editor form sends; every field is the visitor's text, checked here. */
export interface PostForm {
  title: string;
  slug: string;
  markdown: string;
  excerpt: string;
  /** Slugs of existing categories ticked. */
  categories: string[];
  /** New categories typed in, comma-separated. */
  newCategories: string;
  /** Comma-separated. */
  tags: string;
  commentsOpen: boolean;
  status: string;
  /** `YYYY-MM-DDTHH:mm` in the site's time zone, or empty. */
  publishAt: string;
  /** 'public', or 'password': the body and comments only for readers who type `password` (WordPress's post password). */
  visibility: string;
  password: string;
  /** A post only: stays first on the home page (WordPress's "Stick to the top of the blog"). */
  sticky: boolean;
  /** A page only: its parent page's id, or empty for none. */
  parent: string;
  /** The featured image's media id, or empty for none. */
  featuredImage: string;
}

export type PostFormField = 'title' | 'slug' | 'markdown' | 'excerpt' | 'status' | 'publishAt' | 'password' | 'parent' | 'featuredImage';
/** Each problem is a Message, said in the site's language by the editor screen. */
export type FormErrors = Partial<Record<PostFormField, Message>>;

/** A form without mistakes, as a save writes it. */
export interface CheckedPostForm {
  title: string;
  /** The slug asked for (or made from the title), before another post's holding it is looked at; may be empty. */
  slugBase: string;
  password: string | null;
  parentId: number | null;
  featuredId: number | null;
  status: PostStatus;
  publishedAt: string | null;
}

/** Names typed comma-separated (tags, new categories): each once, spaces tidied, at most 100 characters. */
export const splitList = (text: string) =>
  [...new Set(text.split(',').map((name) => name.replace(/\s+/g, ' ').trim().slice(0, 100)).filter(Boolean))];

/** A blank editor: a post takes comments, a page does not (as WordPress's defaults). */
export const emptyForm = (type: PostType): PostForm => ({
  title: '', slug: '', markdown: '', excerpt: '', categories: [], newCategories: '', tags: '',
  commentsOpen: type === 'post', status: 'draft', publishAt: '', visibility: 'public', password: '', sticky: false, parent: '',
  featuredImage: '',
});

/** The editor form as a saved post fills it, its time in the site's time zone. */
export function formFor({ post, categories, tags }: { post: Post; categories: Term[]; tags: Term[] }, zone: string): PostForm {
  return {
    title: post.title, slug: readableSlug(post.slug), markdown: post.bodyMarkdown, excerpt: post.excerpt,
    categories: categories.map((c) => c.slug), newCategories: '', tags: tags.map((t) => t.name).join(', '),
    commentsOpen: post.commentsOpen, status: post.status === 'trash' ? 'draft' : post.status,
    publishAt: post.publishedAt ? localMinute(post.publishedAt, zone) : '',
    visibility: post.password ? 'password' : 'public', password: post.password ?? '',
    sticky: post.sticky, parent: post.parentId === null ? '' : String(post.parentId),
    featuredImage: post.featuredImage ? String(post.featuredImage.mediaId) : '',
  };
}

/** The form's fields checked: each mistake named, or what a save writes. */
export function checkPostForm(
  form: PostForm, type: PostType, existing: Post | undefined,
  { admin, posts, zone, now }: { admin: PostsAdminRepository; posts: PostsRepository; zone: string; now: Date },
): { errors: FormErrors } | CheckedPostForm {
  const errors: FormErrors = {};
  const title = form.title.replace(/\s+/g, ' ').trim();
  if (!title) errors.title = 'admin.posts.error.titleEmpty';
  else if (title.length > 300) errors.title = 'admin.posts.error.titleLong';
  if (form.markdown.length > 1_000_000) errors.markdown = 'admin.posts.error.markdownLong';
  if (form.excerpt.length > 2000) errors.excerpt = 'admin.posts.error.excerptLong';
  // The box shows a slug decoded (`東京`), and a pasted address's slug may come encoded: both are made one form.
  const slugBase = wordpressSlugFrom(readableSlug(form.slug.trim()) || title);
  if (form.slug.trim() && !slugBase) errors.slug = 'admin.posts.error.slug';
  // Kept as typed, as WordPress keeps it (an imported password may have any characters); 255 is its limit.
  const password = form.visibility === 'password' ? form.password : null;
  if (password === '') errors.password = 'admin.posts.error.passwordEmpty';
  else if (password && password.length > 255) errors.password = 'admin.posts.error.passwordLong';
  const placement = type === 'page' ? checkParent({ admin, posts }, form.parent.trim(), existing?.id) : { parentId: null };
  if ('error' in placement) errors.parent = placement.error;
  // Only an entry of the media library: an id from elsewhere (or gone since the form was shown) is refused.
  const featured = form.featuredImage.trim();
  const featuredId = /^[1-9]\d{0,11}$/.test(featured) && admin.imageChoice(Number(featured)) ? Number(featured) : null;
  if (featured && featuredId === null) errors.featuredImage = 'admin.posts.error.featuredImage';
  const when = publishTiming(form.status, form.publishAt, existing, zone, now);
  if ('error' in when) Object.assign(errors, when.error);
  if (Object.keys(errors).length || 'error' in when || 'error' in placement) return { errors };
  return { title, slugBase, password, parentId: placement.parentId, featuredId, status: when.status, publishedAt: when.publishedAt };
}
