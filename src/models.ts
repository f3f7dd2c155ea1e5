/** Plain data shapes passed between the layers and into templates. */

export type PostType = 'post' | 'page';
export type PostStatus = 'draft' | 'published' | 'scheduled' | 'trash';
export type Taxonomy = 'category' | 'tag';
export type Language = 'en' | 'id';

export interface Term {
  id: number;
  taxonomy: Taxonomy;
  slug: string;
  name: string;
}

export interface Author {
  id: number;
  login: string;
  displayName: string;
}

export interface User extends Author {
  email: string | null;
  role: 'administrator' | 'author';
}

export interface Post {
  id: number;
  type: PostType;
  status: PostStatus;
  slug: string;
  title: string;
  lang: string | null;
  /** The source: Markdown when written here, HTML when imported from WordPress (see sourceFormat). */
  bodyMarkdown: string;
  sourceFormat: 'markdown' | 'html';
  /** WordPress's post password: the body is shown only to a reader who typed it. Null: not protected. */
  password: string | null;
  /** Stays first on the home page. */
  sticky: boolean;
  /** A page's parent page (it answers at /parent/child/). */
  parentId: number | null;
  /** A child page's ancestors' slugs, each followed by `/` (`about/team/`); null for a post or a top-level page. */
  ancestry?: string | null;
  bodyHtml: string;
  bodyText: string;
  excerpt: string;
  excerptHtml: string;
  /** More than the excerpt shows: lists offer "Continue reading". */
  saysMore: boolean;
  authorId: number;
  authorLogin: string;
  authorName: string;
  commentsOpen: boolean;
  commentCount: number;
  /** Likes and boosts (Announces) from the Fediverse, kept on the post by triggers (fedi_reactions). */
  fediLikes?: number;
  fediBoosts?: number;
  /** UTC ISO 8601, or null for a draft never published. */
  publishedAt: string | null;
  updatedAt: string;
  /** The key of the post's private /p/<key>/ preview link. */
  previewKey: string;
  /** Its featured image from the media library; null: none. */
  featuredImage: FeaturedImage | null;
}

/** A post as lists show it: without its bodies, which they do not show and which are most of its row. */
export type ListedPost = Omit<Post, 'bodyMarkdown' | 'bodyHtml' | 'bodyText'>;

/** A post's featured image (WordPress's "Featured image"): a media library entry. */
export interface FeaturedImage {
  mediaId: number;
  /** Where the image is served: under /uploads/, or an imported attachment's old address until it is downloaded. */
  src: string;
  /** The upload's name (its title, else its file name without the extension); may be empty. */
  name: string;
  mime: string;
  width: number | null;
  height: number | null;
}

/** Just enough of a post to link to it. */
export type PostLink = Pick<Post, 'id' | 'type' | 'slug' | 'title' | 'publishedAt'>;

/** A post's text as one save (a revision) or one author's autosave left it; authorName is '' once the account is gone. */
export interface Revision {
  id: number;
  postId: number;
  kind: 'revision' | 'autosave';
  title: string;
  bodyMarkdown: string;
  excerpt: string;
  userId: number | null;
  authorName: string;
  /** UTC ISO 8601. */
  createdAt: string;
}

export interface Settings {
  title: string;
  tagline: string;
  language: Language;
  timeZone: string;
  postsPerPage: number;
  /** The site's address for absolute links, without a trailing slash; empty uses PUBLIC_URL. */
  publicUrl: string;
  requireNameEmail: boolean;
  requirePreviouslyApproved: boolean;
  /** Hold a comment with this many links or more; 0 turns the rule off. */
  moderationLinks: number;
  moderationKeys: string;
  disallowedKeys: string;
  threadDepth: number;
  pageComments: boolean;
  commentsPerPage: number;
  /** Close comments on posts older than this many days; 0 never closes them. */
  closeCommentsAfterDays: number;
  useGravatar: boolean;
  /** Email the post's author and the administrators about each approved comment / each held one. */
  commentsNotify: boolean;
  moderationNotify: boolean;
  maxUploadMb: number;
  /** Whether the blog answers and speaks ActivityPub (WebFinger, actor, inbox, deliveries, the Mastodon login). */
  fediverseEnabled: boolean;
  /** The user part of the blog's Fediverse handle (`blog` in `@blog@host`); the host is the site address's. */
  fediverseHandle: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  totalPages: number;
  total: number;
}

export type CommentStatus = 'approved' | 'pending' | 'spam' | 'trash';

/** A comment as readers may see it: no email, no IP. */
export interface Comment {
  id: number;
  postId: number;
  parentId: number | null;
  status: CommentStatus;
  authorName: string;
  authorUrl: string;
  avatarHash: string;
  /** The account picture of a commenter who logged in with a provider, else empty. */
  pictureUrl: string;
  commenterId: number | null;
  bodyHtml: string;
  createdAt: string;
  /** 1 when it came from the Fediverse as a reply (SQLite's boolean); the thread marks it. */
  fromFediverse?: 0 | 1;
}

/** 'fediverse': a Mastodon login or a Fediverse reply's author, known by the account's actor URI. */
export type Provider = 'twitter' | 'facebook' | 'google' | 'wordpress' | 'fediverse';

/** A visitor known through a login provider. */
export interface Commenter {
  id: number;
  provider: Provider;
  providerUid: string;
  displayName: string;
  pictureUrl: string;
  profileUrl: string;
  email: string;
}
