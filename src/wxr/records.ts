import type { WxrAuthor, WxrChannel, WxrComment, WxrItem, WxrTerm } from './types.js';

/** One element's children as the reader collected them: each leaf child's text by its name (`wp:post_id`…). */
export type Fields = Map<string, string>;

export interface ItemParts {
  terms: WxrItem['terms'];
  meta: Record<string, string>;
  comments: WxrComment[];
}

const text = (fields: Fields, name: string): string => fields.get(name) ?? '';

/** WordPress writes ids as digits; anything else (absent, empty, garbage) reads as 0. */
function int(fields: Fields, name: string): number {
  const value = text(fields, name).trim();
  return /^\d{1,15}$/.test(value) ? Number(value) : 0;
}

/** A page's menu order may be negative. */
function signedInt(fields: Fields, name: string): number {
  const value = text(fields, name).trim();
  return /^-?\d{1,15}$/.test(value) ? Number(value) : 0;
}

export function toChannel(wxrVersion: string, fields: Fields): WxrChannel {
  return {
    kind: 'channel',
    wxrVersion,
    title: text(fields, 'title'),
    link: text(fields, 'link'),
    description: text(fields, 'description'),
    language: text(fields, 'language'),
    baseSiteUrl: text(fields, 'wp:base_site_url'),
    baseBlogUrl: text(fields, 'wp:base_blog_url'),
  };
}

export function toAuthor(fields: Fields): WxrAuthor {
  return {
    kind: 'author',
    id: int(fields, 'wp:author_id'),
    login: text(fields, 'wp:author_login'),
    email: text(fields, 'wp:author_email'),
    displayName: text(fields, 'wp:author_display_name'),
    firstName: text(fields, 'wp:author_first_name'),
    lastName: text(fields, 'wp:author_last_name'),
  };
}

/** `<wp:category>`, `<wp:tag>` and `<wp:term>` name the same facts differently. */
export function toTerm(element: 'wp:category' | 'wp:tag' | 'wp:term', fields: Fields): WxrTerm {
  const [taxonomy, slug, name, parent, description] =
    element === 'wp:category'
      ? ['category', 'wp:category_nicename', 'wp:cat_name', 'wp:category_parent', 'wp:category_description']
      : element === 'wp:tag'
        ? ['post_tag', 'wp:tag_slug', 'wp:tag_name', '', 'wp:tag_description']
        : [text(fields, 'wp:term_taxonomy'), 'wp:term_slug', 'wp:term_name', 'wp:term_parent', 'wp:term_description'];
  return {
    kind: 'term',
    taxonomy,
    id: int(fields, 'wp:term_id'),
    slug: text(fields, slug),
    name: text(fields, name),
    parentSlug: parent ? text(fields, parent) : '',
    description: text(fields, description),
  };
}

export function toComment(fields: Fields, meta: Record<string, string>): WxrComment {
  return {
    id: int(fields, 'wp:comment_id'),
    parentId: int(fields, 'wp:comment_parent'),
    author: text(fields, 'wp:comment_author'),
    authorEmail: text(fields, 'wp:comment_author_email'),
    authorUrl: text(fields, 'wp:comment_author_url'),
    authorIp: text(fields, 'wp:comment_author_IP'),
    date: text(fields, 'wp:comment_date'),
    dateGmt: text(fields, 'wp:comment_date_gmt'),
    content: text(fields, 'wp:comment_content'),
    approved: text(fields, 'wp:comment_approved'),
    type: text(fields, 'wp:comment_type'),
    userId: int(fields, 'wp:comment_user_id'),
    meta,
  };
}

export function toItem(fields: Fields, parts: ItemParts): WxrItem {
  return {
    kind: 'item',
    postType: text(fields, 'wp:post_type'),
    id: int(fields, 'wp:post_id'),
    title: text(fields, 'title'),
    link: text(fields, 'link'),
    guid: text(fields, 'guid'),
    creator: text(fields, 'dc:creator'),
    content: text(fields, 'content:encoded'),
    excerpt: text(fields, 'excerpt:encoded'),
    postDate: text(fields, 'wp:post_date'),
    postDateGmt: text(fields, 'wp:post_date_gmt'),
    status: text(fields, 'wp:status'),
    slug: text(fields, 'wp:post_name'),
    parentId: int(fields, 'wp:post_parent'),
    menuOrder: signedInt(fields, 'wp:menu_order'),
    commentStatus: text(fields, 'wp:comment_status'),
    password: text(fields, 'wp:post_password'),
    sticky: text(fields, 'wp:is_sticky').trim() === '1',
    attachmentUrl: text(fields, 'wp:attachment_url'),
    terms: withoutBareDuplicates(parts.terms),
    meta: parts.meta,
    comments: parts.comments,
  };
}

/**
 * WXR 1.0 (WordPress 2.x) writes each category twice, `<category>Name</category>` for plain RSS readers and
 * `<category domain="category" nicename="slug">Name</category>`: the bare copy goes when the full one is there.
 */
function withoutBareDuplicates(terms: WxrItem['terms']): WxrItem['terms'] {
  const named = new Set(terms.filter((t) => t.slug !== '').map((t) => `${t.taxonomy}\n${t.name}`));
  return terms.filter((t) => t.slug !== '' || !named.has(`${t.taxonomy}\n${t.name}`));
}
