import crypto from 'node:crypto';
import type { ListedPost, Page, Post, PostLink, PostStatus, PostType, Term } from '../models.js';
import { localDateParts, postPath } from '../permalinks.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { TermsRepository } from '../repositories/terms.js';
import type { UsersRepository } from '../repositories/users.js';
import { createArchiveFilter, type Archive } from './archive-filter.js';
import { renderPost } from './markdown.js';
import { pageWindow, toPage } from './pagination.js';
import type { SettingsService } from './settings.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

/** The unguessable part of a post's private preview link. */
export const newPreviewKey = () => crypto.randomBytes(16).toString('hex');

/** A post's terms split into its categories and its tags. */
export const byTaxonomy = (own: Term[]) => ({
  categories: own.filter((t) => t.taxonomy === 'category'),
  tags: own.filter((t) => t.taxonomy === 'tag'),
});

export type WithTerms<T> = T & { categories: Term[]; tags: Term[] };
export type PostWithTerms = WithTerms<Post>;

export interface ArchivePage<T = WithTerms<ListedPost>> extends Page<T> {
  /** What the archive is of: the term's or author's name, or the first instant of the period. */
  subject?: string;
  /** The home page's first page: sticky posts come first, and carry the `sticky` class. */
  stickyFirst?: boolean;
}

export type PostPage =
  | { post: PostWithTerms; previous?: PostLink; next?: PostLink }
  | { redirectTo: Post };

export interface NewPostInput {
  type?: PostType;
  status: PostStatus;
  slug: string;
  title: string;
  lang?: string | null;
  markdown: string;
  /** What `markdown` holds: Markdown (the default) or WordPress's HTML. */
  sourceFormat?: Post['sourceFormat'];
  excerpt?: string;
  authorId: number;
  commentsOpen?: boolean;
  publishedAt?: string | null;
  categories?: { slug: string; name: string }[];
  tags?: { slug: string; name: string }[];
}

export interface PostsService {
  /** A page of an archive; `stickyFirst` puts sticky posts first on the home page's first page (not in feeds). */
  archive(archive: Archive, page: number, options?: { stickyFirst?: boolean }): ArchivePage | null;
  /** An archive's first page with each post's body, as its feeds carry it (no sticky posts first). */
  newest(archive: Archive): ArchivePage<PostWithTerms> | null;
  /** A published post by its permalink parts; a wrong date redirects to the right permalink. */
  postPage(date: { year: string; month: string; day: string }, slug: string): PostPage | null;
  /**
   * A published page by its path's slugs (`['parent', 'child']`); a page asked for at its bare `/child/` address
   * redirects to its full path. Null when no page has that path.
   */
  staticPage(slugs: string[]): { post: PostWithTerms } | { redirectTo: Post } | null;
  /** A post with its terms and neighbours, as its page shows it. */
  pageView(post: Post): { post: PostWithTerms; previous?: PostLink; next?: PostLink };
  /** The same by the post's id (its comment form shown again); null when it is gone. */
  pageViewById(id: number): { post: PostWithTerms; previous?: PostLink; next?: PostLink } | null;
  create(input: NewPostInput): number;
  /** The slug of the last category of WordPress's nested category path (`['parent', 'child']`), if the path is its ancestry. */
  nestedCategory(slugs: string[]): string | null;
  /** The path of a published post, or null. */
  permalinkOf(id: number): string | null;
}

export interface PostsServiceDeps {
  posts: PostsRepository;
  terms: TermsRepository;
  users: UsersRepository;
  settings: SettingsService;
  /** Runs a function in one database transaction, so a post never lands without its terms. */
  transaction: <T>(fn: () => T) => T;
  now?: () => Date;
  changes?: SiteChanges;
}

export function createPostsService({ posts, terms, users, settings, transaction, now = () => new Date(), changes = NO_CHANGES }: PostsServiceDeps): PostsService {
  const withTerms = <T extends ListedPost>(list: T[]): WithTerms<T>[] => {
    const byPost = terms.forPosts(list.map((p) => p.id));
    // Not `{ ...post, ...terms }`: its added properties would be old-generation garbage (see comment-thread.ts).
    return list.map((post) => Object.assign({}, post, byTaxonomy(byPost.get(post.id) ?? [])));
  };

  const resolve = createArchiveFilter({ terms, users, timeZone: () => settings.get().timeZone });

  /** An archive's filter and subject, its size and the window of one of its pages; null when either is not there. */
  const locate = (archive: Archive, page: number) => {
    const resolved = resolve(archive);
    if (!resolved) return null;
    const total = posts.countPublished(resolved.filter);
    const window = pageWindow(total, page, settings.get().postsPerPage);
    return window ? { ...resolved, window, total } : null;
  };

  return {
    archive(archive, page, { stickyFirst = false } = {}) {
      const found = locate(archive, page);
      if (!found) return null;
      const { filter, subject, window, total } = found;
      const listed = posts.listPublished(filter, window.limit, window.offset);
      if (!stickyFirst || archive.kind !== 'home' || page !== 1) {
        return { ...toPage(withTerms(listed), page, window.totalPages, total), subject };
      }
      // As WordPress: the first page shows every sticky post, then its usual posts without them; later pages as usual.
      const sticky = posts.listSticky();
      const ids = new Set(sticky.map((post) => post.id));
      const items = withTerms([...sticky, ...listed.filter((post) => !ids.has(post.id))]);
      return { ...toPage(items, page, window.totalPages, total), stickyFirst: true };
    },

    newest(archive) {
      const found = locate(archive, 1);
      if (!found) return null;
      const { filter, subject, window, total } = found;
      const listed = posts.listPublishedWithBodies(filter, window.limit, window.offset);
      return { ...toPage(withTerms(listed), 1, window.totalPages, total), subject };
    },

    postPage(date, slug) {
      const post = posts.findPublished('post', slug);
      if (!post) return null;
      const actual = localDateParts(post.publishedAt!, settings.get().timeZone);
      if (actual.year !== date.year || actual.month !== date.month || actual.day !== date.day) {
        return { redirectTo: post };
      }
      return this.pageView(post);
    },

    pageView(post) {
      return { post: withTerms([post])[0], ...posts.neighbours(post) };
    },

    pageViewById(id) {
      const post = posts.findById(id);
      return post ? this.pageView(post) : null;
    },

    staticPage(slugs) {
      // Slugs are unique across posts and pages: the last one names the page, its ancestry must match the rest.
      const page = posts.findPublished('page', slugs[slugs.length - 1]);
      if (!page) return null;
      if (postPath(page, settings.get().timeZone) === `/${slugs.join('/')}/`) return { post: withTerms([page])[0] };
      return slugs.length === 1 ? { redirectTo: page } : null;
    },

    nestedCategory(slugs) {
      const tree = terms.categoryTree();
      const byId = new Map(tree.map((term) => [term.id, term]));
      let term = tree.find((t) => t.slug === slugs[slugs.length - 1]);
      const leaf = term?.slug ?? null;
      for (let i = slugs.length - 1; i >= 0; i--) {
        if (!term || term.slug !== slugs[i]) return null;
        term = term.parentId === null ? undefined : byId.get(term.parentId);
      }
      return term ? null : leaf; // the path must start at a top-level category
    },

    permalinkOf(id) {
      const post = posts.findById(id);
      return post && post.status === 'published' ? postPath(post, settings.get().timeZone) : null;
    },

    create(input) {
      const rendered = renderPost(input.markdown, input.excerpt, input.sourceFormat);
      const created = transaction(() => {
        const id = posts.insert({
          type: input.type ?? 'post',
          status: input.status,
          slug: input.slug,
          title: input.title,
          lang: input.lang ?? null,
          bodyMarkdown: input.markdown,
          sourceFormat: input.sourceFormat,
          ...rendered,
          excerpt: input.excerpt ?? '',
          authorId: input.authorId,
          commentsOpen: input.commentsOpen ?? true,
          publishedAt: input.publishedAt ?? (input.status === 'published' ? now().toISOString() : null),
          previewKey: newPreviewKey(),
        });
        const termIds = [
          ...terms.ensure('category', input.categories ?? []),
          ...terms.ensure('tag', input.tags ?? []),
        ].map((t) => t.id);
        terms.setForPost(id, termIds);
        return id;
      });
      if (input.status === 'published') changes.post(created);
      return created;
    },
  };
}
