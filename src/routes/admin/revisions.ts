import { Router, type Response } from 'express';
import { requireAdministrator } from '../../auth/guards.js';
import { currentUser } from '../../auth/identity.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { field, parseId, queryParam } from '../../http/form.js';
import type { ViewHelpers } from '../../http/locals.js';
import type { PostType } from '../../models.js';
import type { PostForm } from '../../services/post-form.js';
import { KEPT_REVISIONS } from '../../services/revisions.js';
import type { AdminDeps } from './index.js';
import { editablePosts } from './editable-post.js';

const helpers = (res: Response) => res.locals as ViewHelpers;

/** The title, text and excerpt an autosave sends, as the editor's fields name them. */
const autosaveText = (body: unknown) => ({ title: field(body, 'title'), bodyMarkdown: field(body, 'markdown'), excerpt: field(body, 'excerpt') });

/** "Draft autosaved at 14:05." in the site's language and time zone. */
const savedMessage = (res: Response, at: string) => {
  const { t, locale, site } = helpers(res);
  return t('admin.autosave.saved', { time: new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: site.timeZone }).format(new Date(at)) });
};

/** Revisions (list, compare, restore) and autosave, for posts and pages; mounted before the posts router. */
export function revisionsRouter({ services }: AdminDeps): Router {
  const router = Router();
  const { postEditor: editor, revisions } = services;
  router.use('/pages', requireAdministrator);

  for (const type of ['post', 'page'] as PostType[]) {
    const base = `/${type}s/`;

    const { editable, editableOutsideTrash } = editablePosts(editor, type);

    router.get(`${base}:id/revisions/`, (req, res) => {
      const { post } = editable(req);
      const { t } = helpers(res);
      res.render('admin/revisions', {
        title: t('admin.revisions.title', { title: post.title }), post, base, revisions: revisions.list(post), max: KEPT_REVISIONS,
        notice: queryParam(req, 'done') === 'restored' ? t('admin.revisions.restored') : undefined,
      });
    });

    router.get(`${base}:id/revisions/compare/`, (req, res) => {
      const { post } = editable(req);
      const side = (name: string) => (queryParam(req, name) === 'current' ? 'current' : parseId(queryParam(req, name)));
      const from = side('from');
      const to = side('to');
      if (from === null || to === null) throw badRequest('Choose two revisions to compare');
      const comparison = revisions.compare(post, from, to);
      if (!comparison) throw notFound();
      res.render('admin/revisions-compare', {
        title: helpers(res).t('admin.revisions.compare.title', { title: post.title }), post, base, comparison, revisions: revisions.list(post),
      });
    });

    // Restoring is a save like any other: the post takes the revision's text, and that text is recorded again.
    router.post(`${base}:id/revisions/:revision/restore/`, (req, res) => {
      const found = editableOutsideTrash(req);
      const revisionId = parseId(req.params.revision);
      const revision = revisionId === null ? undefined : revisions.find(found.post.id, revisionId);
      if (!revision) throw notFound();
      const form: PostForm = { ...editor.formFor(found), title: revision.title, markdown: revision.bodyMarkdown, excerpt: revision.excerpt };
      const result = editor.save(form, type, currentUser(req)!, found.post);
      if ('errors' in result) throw conflict('This revision cannot be saved as the post is now');
      res.redirect(303, `${req.baseUrl}${base}${found.post.id}/revisions/?done=restored`);
    });

    // A never-saved post: the first autosave makes it a draft (as WordPress), whose edit address the script moves to.
    router.post(`${base}new/autosave/`, (req, res) => {
      const text = autosaveText(req.body);
      const problem = revisions.checkAutosave(text);
      if (problem) return res.status(422).json({ error: helpers(res).t(problem) });
      if (!text.title.trim() && !text.bodyMarkdown.trim() && !text.excerpt.trim()) return res.json({ saved: false });
      const form: PostForm = {
        ...editor.emptyForm(type), status: 'draft',
        title: text.title.trim() ? text.title : helpers(res).t('admin.autosave.untitled'), markdown: text.bodyMarkdown, excerpt: text.excerpt,
      };
      const result = editor.save(form, type, currentUser(req)!);
      if ('errors' in result) return res.status(422).json({ error: helpers(res).say(Object.values(result.errors)[0]!) });
      res.json({ saved: true, editUrl: `${req.baseUrl}${base}${result.id}/edit/`, message: savedMessage(res, result.post.updatedAt) });
    });

    // Beside the post, never in it: a published post's page stays as it was last saved.
    router.post(`${base}:id/edit/autosave/`, (req, res) => {
      const found = editable(req);
      if (found.post.status === 'trash') return res.status(409).json({ error: helpers(res).t('admin.autosave.trashed') });
      const text = autosaveText(req.body);
      const problem = revisions.checkAutosave(text);
      if (problem) return res.status(422).json({ error: helpers(res).t(problem) });
      const at = revisions.autosave(found.post, currentUser(req)!.id, text);
      res.json({ saved: true, message: savedMessage(res, at) });
    });
  }
  return router;
}
