import type { Page, Post, PostType, Term, User } from '../models.js';
import { postPath } from '../permalinks.js';
import type { AdminFilter, AdminPost, PostsAdminRepository } from '../repositories/posts-admin.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { TermsRepository } from '../repositories/terms.js';
import { renderPost, type SourceFormat } from './markdown.js';
import type { ImageLookup } from './responsive-images.js';
import { pageWindow, toPage } from './pagination.js';
import { localMinute, primaryAction } from './publish-actions.js';
import { byTaxonomy, newPreviewKey } from './posts.js';
import type { RevisionsService } from './revisions.js';
import type { ScheduledPosts } from './scheduled-posts.js';
import type { SettingsService } from './settings.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';
import { NO_EVENTS, type BlogEvents } from './blog-events.js';
import { wordpressSlugFrom } from './slugs.js';
import { parentChoices } from './page-parent.js';
import { checkPostForm, emptyForm, formFor, splitList, type FormErrors, type PostForm } from './post-form.js';
import { createSaveAnnouncer } from './save-announcer.js';
import { createPostAddresses } from './post-addresses.js';

export type SaveResult = { id: number; post: Post } | { errors: FormErrors };

export const ADMIN_PAGE_SIZE = 20;
/** How many of the library's newest images the Featured image list offers (plus the chosen one, however old). */
const IMAGE_CHOICES = 200;

export interface PostEditorDeps {
  posts: PostsRepository;
  admin: PostsAdminRepository;
  terms: TermsRepository;
  settings: SettingsService;
  scheduled: ScheduledPosts;
  transaction: <T>(fn: () => T) => T;
  now: () => Date;
  changes?: SiteChanges;
  /** Records each save as a revision (and spends the saver's autosave). */
  revisions?: Pick<RevisionsService, 'recordSave'>;
  /** Uploads' sizes, for their srcset (media service's `images`). */
  images?: ImageLookup;
  /** Who hears of a post going public, changing while public, or withdrawn (new-post subscribers, the Fediverse). */
  events?: BlogEvents;
}

/** Slugs never hold `_` (slugFrom makes dashes), so this suffix marks a trashed post's slug unambiguously. */
const TRASHED = '__trashed';
const TRASHED_END = /__trashed$/;

export function createPostEditor({ posts, admin, terms, settings, scheduled, transaction, now, changes = NO_CHANGES, revisions, images, events = NO_EVENTS }: PostEditorDeps) {
  const canEdit = (user: User, post: Post) => user.role === 'administrator' || post.authorId === user.id;

  const { uniqueSlug, publishedDescendants, keepOldPaths } = createPostAddresses({ posts, admin, settings });
  const { publicFace, announceSave } = createSaveAnnouncer({ terms, settings, events });

  return {
    list(filter: AdminFilter, page: number): Page<AdminPost> | null {
      const total = admin.count(filter);
      const window = pageWindow(total, page, ADMIN_PAGE_SIZE);
      if (!window) return null;
      return toPage(admin.list(filter, window.limit, window.offset), page, window.totalPages, total);
    },

    countByStatus: (type: PostType, authorId?: number) => admin.countByStatus(type, authorId),

    /** A post the user may edit with its terms; null when there is none, 'forbidden' when it is someone else's. */
    findForEdit(id: number, user: User, type: PostType): { post: Post; categories: Term[]; tags: Term[] } | 'forbidden' | null {
      const post = posts.findById(id);
      if (!post || post.type !== type) return null;
      if (!canEdit(user, post)) return 'forbidden';
      return { post, ...byTaxonomy(terms.forPosts([id]).get(id) ?? []) };
    },

    allCategories: () => terms.list('category'),

    emptyForm,

    /** The images the Featured image list offers, newest first, with the one the form holds among them. */
    imageChoices(chosen: string) {
      const choices = admin.imageChoices(IMAGE_CHOICES);
      const current = /^[1-9]\d{0,11}$/.test(chosen) ? admin.imageChoice(Number(chosen)) : undefined;
      return current && !choices.some((c) => c.id === current.id) ? [...choices, current] : choices;
    },

    /** The pages a page may go under, indented by depth. */
    parentChoices: (ownId?: number) => parentChoices({ admin, posts }, ownId),

    /** The editor form as a saved post fills it. */
    formFor: (saved: { post: Post; categories: Term[]; tags: Term[] }): PostForm => formFor(saved, settings.get().timeZone),

    /** The same renderer and sanitizer as the published page, for a source in its format. */
    preview: (source: string, format: SourceFormat = 'markdown') => renderPost(source, '', format, images).bodyHtml,

    /**
     * Creates (no `existing`) or updates a post; a published post whose permalink changes (a new slug, a page's new
     * parent) keeps the old one as a redirect, and so do the pages under it.
     */
    save(form: PostForm, type: PostType, author: User, existing?: Post): SaveResult {
      const zone = settings.get().timeZone;
      const checked = checkPostForm(form, type, existing, { admin, posts, zone, now: now() });
      if ('errors' in checked) return checked;
      const { title, slugBase, password, parentId, featuredId } = checked;
      const slug = uniqueSlug(slugBase || (type === 'page' ? 'page' : 'post'), type, existing?.id);
      // A post keeps its format: an imported HTML post is saved as HTML, never turned into Markdown; a new one is Markdown.
      const rendered = renderPost(form.markdown, form.excerpt, existing?.sourceFormat, images);
      const oldPath = existing?.status === 'published' ? postPath(existing, zone) : null;
      const childPaths = existing?.type === 'page' ? publishedDescendants(existing.id) : [];
      const faceBefore = existing?.status === 'published' ? publicFace(existing) : null;
      const fields = {
        status: checked.status, slug, title, bodyMarkdown: form.markdown, ...rendered,
        excerpt: form.excerpt.trim(), commentsOpen: form.commentsOpen, publishedAt: checked.publishedAt,
      };
      const id = transaction(() => {
        const id = existing?.id ?? posts.insert({ ...fields, type, lang: null, authorId: author.id, previewKey: newPreviewKey() });
        if (existing) admin.update(id, fields, now().toISOString());
        admin.setPassword(id, password);
        admin.setPlacement(id, type === 'post' && form.sticky, parentId);
        admin.setFeaturedImage(id, featuredId);
        // Authors file posts under the site's categories; making new ones is the administrator's (as WordPress).
        const newCategories = (author.role === 'administrator' ? splitList(form.newCategories) : []).map((name) => ({ name, slug: wordpressSlugFrom(name) })).filter((c) => c.slug);
        const ticked = form.categories.map((slug) => terms.findBySlug('category', slug)).filter((t): t is Term => !!t);
        const tags = splitList(form.tags).map((name) => ({ name, slug: wordpressSlugFrom(name) })).filter((t) => t.slug);
        terms.setForPost(id, [...ticked, ...terms.ensure('category', newCategories), ...terms.ensure('tag', tags)].map((t) => t.id));
        const post = posts.findById(id)!;
        revisions?.recordSave(post, author.id);
        keepOldPaths(oldPath ? [{ id, path: oldPath }, ...childPaths] : childPaths);
        return id;
      });
      for (const child of childPaths) changes.post(child.id);
      scheduled.reschedule();
      const saved = posts.findById(id)!;
      // Drafts and scheduled posts show nowhere yet; a published post, or one that stops being published, does.
      if (saved.status === 'published' || existing?.status === 'published') changes.post(id);
      announceSave(existing, faceBefore, saved);
      return { id, post: saved };
    },

    /**
     * What the Publish panel's primary button says for a post (none yet: a new one) and the date its form holds, with
     * the time now as that field writes it, for the script that keeps the label right as the date is typed.
     */
    publishButton(post: Post | undefined, publishAt: string) {
      const zone = settings.get().timeZone;
      return { action: primaryAction(post, publishAt, zone, now()), now: localMinute(now().toISOString(), zone) };
    },

    /** Unpublishing is its own action (WordPress's "Switch to draft"): the post keeps its text and date, readers lose it. */
    switchToDraft(post: Post) {
      admin.setStatus(post.id, 'draft', post.slug, now().toISOString());
      scheduled.reschedule();
      if (post.status === 'published') {
        changes.post(post.id);
        events.postWithdrawn(post);
      }
    },

    /** Hides a post; its slug gets `__trashed` (as WordPress), so a new post may take the address meanwhile. */
    trash(post: Post) {
      const slug = post.slug.endsWith(TRASHED) ? post.slug : `${post.slug}${TRASHED}`;
      // Its child pages keep answering: they move up to its parent (WordPress does so when a page is deleted).
      const childPaths = post.type === 'page' ? publishedDescendants(post.id) : [];
      transaction(() => {
        admin.setStatus(post.id, 'trash', slug, now().toISOString());
        admin.moveChildren(post.id, post.parentId);
        keepOldPaths(childPaths);
      });
      for (const child of childPaths) changes.post(child.id);
      scheduled.reschedule();
      if (post.status === 'published') {
        changes.post(post.id);
        events.postWithdrawn(post);
      }
    },

    /**
     * Back from the trash as a draft, as WordPress does, so nothing goes public by surprise; an item imported from
     * the trash of a WordPress blog gets back the status WordPress kept for it (_wp_trash_meta_status).
     */
    restore(post: Post) {
      admin.restore(post.id, uniqueSlug(post.slug.replace(TRASHED_END, ''), post.type, post.id), now().toISOString());
      scheduled.reschedule();
      const restored = posts.findById(post.id);
      if (restored?.status === 'published') {
        changes.post(post.id);
        events.postPublished(restored);
      }
    },

    /** Gone for good, with its comments (the schema cascades). */
    deletePermanently: (post: Post) => {
      admin.delete(post.id);
      if (post.status === 'published') {
        changes.post(post.id);
        events.postWithdrawn(post);
      }
    },
  };
}

export type PostEditor = ReturnType<typeof createPostEditor>;
