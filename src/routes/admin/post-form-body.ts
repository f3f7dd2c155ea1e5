import { field, fields } from '../../http/form.js';
import type { PostForm } from '../../services/post-form.js';

/**
 * The status the editor's buttons ask for: Publish (a future date schedules) or Save draft. A client that sends the
 * earlier form's `status` field instead (scripts, older tests) is still understood, with the same rules.
 */
const INTENTS: Record<string, string> = { publish: 'published', draft: 'draft' };
const requestedStatus = (body: unknown) => {
  const intent = field(body, 'intent');
  return Object.hasOwn(INTENTS, intent) ? INTENTS[intent] : field(body, 'status');
};

/** The editor's fields as the form posted them. */
export const postFormFrom = (body: unknown): PostForm => ({
  title: field(body, 'title'),
  slug: field(body, 'slug'),
  markdown: field(body, 'markdown'),
  excerpt: field(body, 'excerpt'),
  categories: fields(body, 'categories'),
  newCategories: field(body, 'new_categories'),
  tags: field(body, 'tags'),
  commentsOpen: field(body, 'comments_open') === 'on',
  status: requestedStatus(body),
  publishAt: field(body, 'publish_at'),
  visibility: field(body, 'visibility'),
  password: field(body, 'post_password'),
  sticky: field(body, 'sticky') === 'on',
  parent: field(body, 'parent_id'),
  featuredImage: field(body, 'featured_image'),
});
