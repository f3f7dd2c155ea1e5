import { Router, type Request, type Response } from 'express';
import { requireAdministrator } from '../../auth/guards.js';
import { currentUser } from '../../auth/identity.js';
import { conflict, notFound } from '../../http/errors.js';
import { field, fields, parseId, queryParam } from '../../http/form.js';
import { readablePath } from '../../permalinks.js';
import type { ViewHelpers } from '../../http/locals.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import type { Post, PostStatus, PostType, Revision } from '../../models.js';
import { postAuthorScope } from '../../services/moderation.js';
import type { FormErrors, PostForm } from '../../services/post-form.js';
import { postFormFrom } from './post-form-body.js';
import type { AdminDeps } from './index.js';
import { editablePosts } from './editable-post.js';
import { requireSessionCsrf } from '../../http/csrf.js';
import { appendImage } from '../../services/image-insertion.js';
import { ACCEPTED_TYPES } from '../../services/media.js';
import { takeEditorImage } from './editor-upload.js';
import { doneAfter, editorNotice, type EditorNotice } from './editor-notice.js';

const STATUSES: (PostStatus | 'all')[] = ['all', 'published', 'draft', 'scheduled', 'trash'];
/** Each type's own words (catalogue keys), so a translation need not slot one noun into shared sentences. */
const LABELS = {
  post: {
    title: 'admin.posts.type.post.title', add: 'admin.posts.type.post.add', edit: 'admin.posts.type.post.edit',
    delete: 'admin.posts.type.post.delete', search: 'admin.posts.type.post.search', none: 'admin.posts.type.post.none',
  },
  page: {
    title: 'admin.posts.type.page.title', add: 'admin.posts.type.page.add', edit: 'admin.posts.type.page.edit',
    delete: 'admin.posts.type.page.delete', search: 'admin.posts.type.page.search', none: 'admin.posts.type.page.none',
  },
} as const satisfies Record<PostType, Record<string, MessageKey>>;
const NOTICES: Record<string, MessageKey> = {
  trashed: 'admin.posts.notice.trashed', restored: 'admin.posts.notice.restored', deleted: 'admin.posts.notice.deleted',
};

/** The translator for the site's language, as the view helpers hold it. */
const tOf = (res: Response) => (res.locals as ViewHelpers).t;

/** The notice a `?done=` asks for, in the site's language; only NOTICES' own names count. */
const noticeFor = (req: Request, res: Response) => {
  const done = queryParam(req, 'done');
  return Object.hasOwn(NOTICES, done) ? tOf(res)(NOTICES[done]) : undefined;
};

/** The posts and pages screens: one list and one editor, for each type. */
export function postsAdminRouter({ services, secret }: AdminDeps): Router {
  const router = Router();
  const editor = services.postEditor;
  const checkCsrf = requireSessionCsrf(secret);
  // As in WordPress, pages (top-level addresses of the site) are the administrator's; authors write posts.
  router.use('/pages', requireAdministrator);

  for (const type of ['post', 'page'] as PostType[]) {
    const base = `/${type}s/`;
    const label = LABELS[type];

    const { editable, editableOutsideTrash } = editablePosts(editor, type);

    /** The revisions line and a newer autosave of a saved post; `restored` when the form now holds that autosave. */
    const revisionsOf = (res: Response, post: Post | undefined, restored?: Revision) => {
      if (!post) return undefined;
      const autosave = restored ? undefined : services.revisions.pendingAutosave(post, currentUser(res.req)!.id);
      return { count: services.revisions.count(post.id), url: `/admin${base}${post.id}/revisions/`, autosave, restored };
    };

    const renderEditor = (res: Response, status: number, view: {
      post?: Post; form: PostForm; errors?: FormErrors; previewHtml?: string; notice?: string; imageProblem?: Message; savedNotice?: EditorNotice;
    }, restored?: Revision) => {
      const helpers = res.locals as ViewHelpers;
      const permalink = view.post?.status === 'published' ? helpers.postUrl(view.post) : undefined;
      res.status(status).render('admin/editor', {
        editorRevisions: revisionsOf(res, view.post, restored),
        title: helpers.t(view.post ? label.edit : label.add),
        type, base, categories: editor.allCategories(), parents: type === 'page' ? editor.parentChoices(view.post?.id) : [], post: undefined, errors: {}, previewHtml: undefined, notice: undefined,
        imageChoices: editor.imageChoices(view.form.featuredImage),
        // Shown as WordPress shows it, readable (`/2026年东京/`); the link itself stays encoded.
        permalink, permalinkText: permalink && (readablePath(permalink) ?? permalink),
        publishButton: editor.publishButton(view.post, view.form.publishAt), savedNotice: undefined,
        imageUpload: { accept: ACCEPTED_TYPES.join(','), mb: services.media.limit().mb },
        ...view,
      });
    };

    router.get(base, (req, res) => {
      const user = currentUser(req)!;
      const status = (STATUSES as string[]).includes(queryParam(req, 'status')) ? (queryParam(req, 'status') as PostStatus | 'all') : 'all';
      const search = queryParam(req, 's').slice(0, 200);
      const page = /^\d{1,6}$/.test(queryParam(req, 'paged')) ? Number(queryParam(req, 'paged')) : 1;
      const authorId = postAuthorScope(user);
      const listing = editor.list({ type, status, search, authorId }, page);
      if (!listing) throw notFound();
      const counts = editor.countByStatus(type, authorId);
      res.render('admin/posts', {
        title: tOf(res)(label.title), type, label, base, status, search, listing, statuses: STATUSES,
        counts: { ...counts, all: counts.published + counts.draft + counts.scheduled },
        notice: noticeFor(req, res),
      });
    });

    router.post(`${base}bulk/`, (req, res) => {
      const user = currentUser(req)!;
      let moved = 0;
      if (field(req.body, 'action') === 'trash') {
        for (const raw of fields(req.body, 'ids').slice(0, 500)) {
          const id = parseId(raw);
          const found = id === null ? null : editor.findForEdit(id, user, type);
          if (found && found !== 'forbidden' && found.post.status !== 'trash') {
            editor.trash(found.post);
            moved++;
          }
        }
      }
      res.redirect(303, `${req.baseUrl}${base}${moved ? '?done=trashed' : ''}`);
    });

    router.get(`${base}new/`, (_req, res) =>
      renderEditor(res, 200, { form: editor.emptyForm(type) }));

    const save = async (req: Request, res: Response, existing?: Post) => {
      // The form is multipart when it carries an image: parsed (and its token checked) here, the image stored first.
      const image = await takeEditorImage(req, res, { media: services.media, checkCsrf, format: existing?.sourceFormat ?? 'markdown' });
      const form = postFormFrom(req.body);
      if (image.problem) return renderEditor(res, 422, { post: existing, form, imageProblem: image.problem });
      if (image.insertion) form.markdown = appendImage(form.markdown, image.insertion);
      if (field(req.body, 'intent') === 'preview') {
        return renderEditor(res, 200, { post: existing, form, previewHtml: editor.preview(form.markdown, existing?.sourceFormat) });
      }
      const result = editor.save(form, type, currentUser(req)!, existing);
      if ('errors' in result) return renderEditor(res, 422, { post: existing, form, errors: result.errors });
      res.redirect(303, `${req.baseUrl}${base}${result.id}/edit/?done=${doneAfter(existing, result.post)}`);
    };

    router.post(`${base}new/`, (req, res) => save(req, res));

    router.get(`${base}:id/edit/`, (req, res) => {
      const found = editableOutsideTrash(req);
      const savedNotice = editorNotice(queryParam(req, 'done'), found.post, type, res.locals as ViewHelpers);
      const form = editor.formFor(found);
      // "Restore the autosave": the form shows the autosave's text, saved only when the author saves it (no script needed).
      const autosave = queryParam(req, 'autosave') === 'restore' ? services.revisions.pendingAutosave(found.post, currentUser(req)!.id) : undefined;
      if (!autosave) return renderEditor(res, 200, { post: found.post, form, savedNotice });
      renderEditor(res, 200, { post: found.post, form: { ...form, title: autosave.title, markdown: autosave.bodyMarkdown, excerpt: autosave.excerpt } }, autosave);
    });

    router.post(`${base}:id/edit/`, (req, res) => save(req, res, editableOutsideTrash(req).post));

    // Unpublishing is its own button, so that saving a public post never takes it off the site.
    router.post(`${base}:id/unpublish/`, (req, res) => {
      const { post } = editableOutsideTrash(req);
      if (post.status !== 'published' && post.status !== 'scheduled') throw conflict('Only a published or scheduled item can be switched to draft');
      editor.switchToDraft(post);
      res.redirect(303, `${req.baseUrl}${base}${post.id}/edit/?done=unpublished`);
    });

    router.post(`${base}:id/trash/`, (req, res) => {
      editor.trash(editable(req).post);
      res.redirect(303, `${req.baseUrl}${base}?done=trashed`);
    });

    router.post(`${base}:id/restore/`, (req, res) => {
      const { post } = editable(req);
      if (post.status !== 'trash') throw conflict('Only what is in the Trash can be restored');
      editor.restore(post);
      res.redirect(303, `${req.baseUrl}${base}?status=trash&done=restored`);
    });

    // Deleting cannot be undone: a page asks first, and only what is in the trash can go.
    router.get(`${base}:id/delete/`, (req, res) => {
      const { post } = editable(req);
      if (post.status !== 'trash') throw notFound();
      res.render('admin/confirm-delete', { title: tOf(res)(label.delete), post, base, commentCount: post.commentCount });
    });

    router.post(`${base}:id/delete/`, (req, res) => {
      const { post } = editable(req);
      if (post.status !== 'trash') throw notFound();
      editor.deletePermanently(post);
      res.redirect(303, `${req.baseUrl}${base}?status=trash&done=deleted`);
    });
  }

  /** Live preview for the editor's script: the same renderer as the Preview button (either format is sanitized). */
  router.post('/preview/', (req, res) => {
    res.json({ html: editor.preview(field(req.body, 'markdown'), field(req.body, 'format') === 'html' ? 'html' : 'markdown') });
  });

  return router;
}
