import { Router, type Request, type Response } from 'express';
import { currentUser } from '../../auth/identity.js';
import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { field, fields, parseId, queryParam } from '../../http/form.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import type { User } from '../../models.js';
import {
  deletesForGood, FILTER_STATUSES, mayModerate, postAuthorScope,
  type AdminComment, type CommentFields, type CommentFilter, type EditErrors, type ModerationAction,
} from '../../services/moderation.js';
import type { AdminDeps } from './index.js';

/** The actions as they appear in URLs and forms. A Map, so "constructor" and friends are not actions. */
const ACTIONS = new Map<string, ModerationAction>([
  ['approve', 'approve'], ['unapprove', 'unapprove'], ['spam', 'spam'], ['not-spam', 'notSpam'],
  ['trash', 'trash'], ['restore', 'restore'], ['delete', 'delete'],
]);

const LIST = '/admin/comments/';

/** What the notice after an action says, by the action's name in the URL; t() picks the form for the count. */
const DONE = new Map<string, MessageKey>([
  ['approve', 'admin.comments.done.approve.many'],
  ['unapprove', 'admin.comments.done.unapprove.many'],
  ['spam', 'admin.comments.done.spam.many'],
  ['not-spam', 'admin.comments.done.notSpam.many'],
  ['trash', 'admin.comments.done.trash.many'],
  ['restore', 'admin.comments.done.restore.many'],
  ['delete', 'admin.comments.done.delete.many'],
]);

/** The notice for what was just done (`did`, on `changed` comments), if anything. */
function noticeOf(did: string, changed: number): Message | undefined {
  if (did === 'reply') return 'admin.comments.done.reply';
  if (did === 'edit') return 'admin.comments.done.edit';
  const done = DONE.get(did);
  return done && { key: done, params: { count: changed } };
}

/** Where the admin is in the list: the filter, the page and the post it is narrowed to; kept across every action. */
interface ListState {
  filter: CommentFilter;
  page: number;
  postId?: number;
}

function listState(req: Request): ListState {
  const status = queryParam(req, 'status');
  const page = queryParam(req, 'page');
  const post = queryParam(req, 'post');
  if (post && parseId(post) === null) throw badRequest('Bad post id');
  return {
    filter: Object.hasOwn(FILTER_STATUSES, status) ? (status as CommentFilter) : 'all',
    page: /^[1-9]\d{0,6}$/.test(page) ? Number(page) : 1,
    postId: post ? Number(post) : undefined,
  };
}

/** The list's query string for a state, with the outcome of an action for the notice. */
function listQuery({ filter, page, postId }: ListState, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filter !== 'all') params.set('status', filter);
  if (page > 1) params.set('page', String(page));
  if (postId !== undefined) params.set('post', String(postId));
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** What a row shows; the IP address only to administrators (an author sees the email, to answer privately). */
const rowOf = (comment: AdminComment, user: User) => ({
  ...comment,
  authorIp: user.role === 'administrator' ? comment.authorIp : '',
});

export function commentsAdminRouter({ services: { moderation, fediBlocks } }: AdminDeps): Router {
  const router = Router();

  /** The comment in the URL, if the logged-in user moderates it. */
  const load = (req: Request) => {
    const id = parseId(req.params.id);
    const comment = id === null ? undefined : moderation.find(id);
    if (!comment) throw notFound('No such comment');
    if (!mayModerate(currentUser(req)!, comment.post)) throw forbidden('This comment is on someone else’s post');
    return comment;
  };

  const render = (res: Response, view: string, status: number, locals: Record<string, unknown>) =>
    res.status(status).render(`admin/${view}`, locals);

  router.get('/comments', (req, res) => {
    const user = currentUser(req)!;
    const state = listState(req);
    const post = state.postId === undefined ? undefined : moderation.findPost(state.postId);
    if (state.postId !== undefined && !post) throw notFound('No such post');
    if (post && !mayModerate(user, post)) throw forbidden('This post is someone else’s');
    const list = moderation.list(state.filter, state.page, { postAuthorId: postAuthorScope(user), postId: state.postId });
    const at = { ...state, page: list.page };
    const did = queryParam(req, 'did');
    const n = queryParam(req, 'n');
    // A block made from a Fediverse reply's row (routes/admin/fediverse.ts) names what it blocked.
    const blocked: Message | undefined = did === 'block-account' || did === 'block-domain'
      ? { key: did === 'block-account' ? 'admin.fediverse.blocked.account' : 'admin.fediverse.blocked.domain', params: { value: queryParam(req, 'blocked') } }
      : undefined;
    render(res, 'comments', 200, {
      filter: state.filter,
      counts: { all: list.counts.pending + list.counts.approved, ...list.counts },
      filterLinks: Object.fromEntries(
        Object.keys(FILTER_STATUSES).map((filter) => [filter, LIST + listQuery({ filter: filter as CommentFilter, page: 1, postId: state.postId })]),
      ),
      rows: list.items.map((c) => rowOf(c, user)),
      fediAuthors: fediBlocks.authorsOf(list.items.map((c) => c.id)),
      // Blocks are the site's, so only an administrator makes them.
      mayBlock: user.role === 'administrator',
      post,
      total: list.total,
      back: listQuery(at),
      previous: list.page > 1 ? LIST + listQuery({ ...at, page: list.page - 1 }) : undefined,
      next: list.page < list.totalPages ? LIST + listQuery({ ...at, page: list.page + 1 }) : undefined,
      pageNumber: list.page,
      totalPages: list.totalPages,
      notice: blocked ?? noticeOf(did, /^\d{1,6}$/.test(n) ? Number(n) : 1),
      problem: did === 'none' ? ('admin.comments.bulk.none' satisfies MessageKey) : undefined,
    });
  });

  router.post('/comments/bulk', (req, res) => {
    const user = currentUser(req)!;
    const state = listState(req);
    const name = field(req.body, 'action');
    const action = ACTIONS.get(name);
    if (name && !action) throw badRequest('Unknown action');
    const given = fields(req.body, 'ids');
    if (!given.every((id) => parseId(id) !== null)) throw badRequest('Bad comment id');
    const ids = [...new Set(given.map(Number))];
    if (!action || ids.length === 0) return res.redirect(303, LIST + listQuery(state, { did: 'none' }));
    if (action === 'delete' && field(req.body, 'confirmed') !== 'yes') {
      // Deleting cannot be undone: list what would go and ask once more.
      const found = ids.map((id) => moderation.find(id)).filter((c) => c !== undefined);
      if (!found.every((c) => mayModerate(user, c.post))) throw forbidden('A comment is on someone else’s post');
      if (found.length === 0) return res.redirect(303, LIST + listQuery(state, { did: name, n: '0' }));
      // Only what goes for good is asked about; a comment outside the Trash and Spam goes to the Trash (see deletesForGood).
      const forGood = found.filter(deletesForGood);
      if (forGood.length > 0) return render(res, 'comments-delete', 200, { rows: forGood.map((c) => rowOf(c, user)), back: listQuery(state), bulk: true });
    }
    const changed = moderation.applyMany(user, action, ids);
    if (changed === null) throw forbidden('A comment is on someone else’s post');
    res.redirect(303, LIST + listQuery(state, { did: name, n: String(changed) }));
  });

  const renderReply = (req: Request, res: Response, comment: AdminComment, status: number, text: string, problem?: Message) =>
    render(res, 'comments-reply', status, { comment: rowOf(comment, currentUser(req)!), back: listQuery(listState(req)), text, problem });

  router.get('/comments/:id/reply', (req, res) => renderReply(req, res, load(req), 200, ''));

  router.post('/comments/:id/reply', (req, res) => {
    const parent = load(req);
    const text = field(req.body, 'text');
    const result = moderation.reply(currentUser(req)!, parent, text, req.ip ?? '', req.get('user-agent') ?? '');
    if ('problem' in result) return renderReply(req, res, parent, result.status, text, result.problem);
    res.redirect(303, LIST + listQuery(listState(req), { did: 'reply' }));
  });

  const renderEdit = (req: Request, res: Response, comment: AdminComment, status: number, values: CommentFields, errors: EditErrors = {}) =>
    render(res, 'comments-edit', status, { comment: rowOf(comment, currentUser(req)!), values, errors, back: listQuery(listState(req)) });

  router.get('/comments/:id/edit', (req, res) => {
    const comment = load(req);
    const values = { name: comment.authorName, email: comment.authorEmail, url: comment.authorUrl, text: moderation.editableText(comment) };
    renderEdit(req, res, comment, 200, values);
  });

  router.post('/comments/:id/edit', (req, res) => {
    const comment = load(req);
    const values = { name: field(req.body, 'name'), email: field(req.body, 'email'), url: field(req.body, 'url'), text: field(req.body, 'text') };
    const errors = moderation.edit(comment, values);
    if (errors) return renderEdit(req, res, comment, 422, values, errors);
    res.redirect(303, LIST + listQuery(listState(req), { did: 'edit' }));
  });

  router.get('/comments/:id/delete', (req, res) => {
    const comment = load(req);
    // The Trash and Spam views offer it; for any other comment Delete is Move to Trash, which asks nothing.
    if (!deletesForGood(comment)) throw notFound('Not in the Trash or Spam');
    render(res, 'comments-delete', 200, { rows: [rowOf(comment, currentUser(req)!)], back: listQuery(listState(req)), bulk: false });
  });

  router.post('/comments/:id/:action', (req, res) => {
    const action = ACTIONS.get(req.params.action as string);
    if (!action) throw notFound('No such action');
    moderation.apply(action, load(req).id);
    res.redirect(303, LIST + listQuery(listState(req), { did: req.params.action as string, n: '1' }));
  });

  return router;
}
