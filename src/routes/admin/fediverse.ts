import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { requireAdministrator } from '../../auth/guards.js';
import { requireSessionCsrf } from '../../http/csrf.js';
import { badRequest, notFound } from '../../http/errors.js';
import { field, fields, parseId, queryParam } from '../../http/form.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import type { BlockKind } from '../../fediverse/blocks.js';
import type { AdminDeps } from './index.js';

const SCREEN = '/settings/fediverse/';
/** The list upload: a multipart form, parsed (and its token checked) here. */
export const FEDIVERSE_UPLOAD_PATH = `${SCREEN}import/`;

const MAX_LIST_BYTES = 1024 * 1024;
const MAX_LIST_CHARS = 100_000;

/** The fields of the tab's form, as typed. */
interface FormValues {
  fediverseEnabled: boolean;
  fediverseHandle: string;
  blockedAccounts: string;
  blockedDomains: string;
}

const LIST_FIELD: Record<BlockKind, 'blockedAccounts' | 'blockedDomains'> = { account: 'blockedAccounts', domain: 'blockedDomains' };
const BAD_LINES: Record<BlockKind, MessageKey> = { account: 'admin.fediverse.error.accounts', domain: 'admin.fediverse.error.domains' };

/** The refused lines, named in the message: the first five, each cut short, and how many more there are. */
function badLines(kind: BlockKind, invalid: string[]): Message {
  const shown = invalid.slice(0, 5).map((line) => `“${line.length > 80 ? `${line.slice(0, 80)}…` : line}”`);
  const more = invalid.length - shown.length;
  return { key: BAD_LINES[kind], params: { lines: `${shown.join(', ')}${more > 0 ? `, … (+${more})` : ''}` } };
}

function readUpload(req: Request, res: Response): Promise<unknown> {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_LIST_BYTES, files: 1, fields: 5, fieldSize: 1024, fieldNameSize: 100, parts: 8 },
  }).single('file');
  return new Promise((resolve) => parse(req, res, resolve));
}

/** Deliveries given up, by what they carried (an Accept or Reject of a Follow shows its type as it is). */
const UNDELIVERED_TYPES = new Set(['Create', 'Update', 'Delete']);

const FOLLOWER_DONE: Record<string, MessageKey> = { removed: 'admin.fediverse.followers.removed', blocked: 'admin.fediverse.followers.blocked' };

export function fediverseAdminRouter({ services: { settings, fediBlocks, moderation, fediverse, fediOutbound }, secret }: AdminDeps): Router {
  const router = Router();
  router.use([SCREEN, '/fediverse'], requireAdministrator);
  const checkCsrf = requireSessionCsrf(secret);

  const stored = (): FormValues => {
    const { fediverseEnabled, fediverseHandle } = settings.get();
    const { accounts, domains } = fediBlocks.list();
    return { fediverseEnabled, fediverseHandle, blockedAccounts: accounts.join('\n'), blockedDomains: domains.join('\n') };
  };

  const render = (res: Response, status: number, values: FormValues, errors: Record<string, Message> = {}, notice?: Message, problem?: Message) =>
    res.status(status).render('admin/fediverse-settings', {
      values,
      errors,
      notice,
      problem: problem ?? (Object.keys(errors).length > 0 ? ('admin.settings.notSaved' satisfies MessageKey) : undefined),
      host: settings.fediverseAccount().host,
      followers: fediverse.followers.list().map((f) => ({ ...f, since: new Date(f.createdAt).toISOString() })),
      undelivered: fediOutbound.givenUp().latest.map((u) => ({
        inbox: u.inbox, error: u.error, when: new Date(u.givenUpAt).toISOString(),
        what: UNDELIVERED_TYPES.has(u.activityType) ? { key: `admin.fediverse.undelivered.${u.activityType}` as MessageKey } : { raw: u.activityType },
      })),
    });

  router.get(SCREEN, (req, res) => {
    const imported = queryParam(req, 'imported');
    const notice: Message | undefined = queryParam(req, 'saved') ? 'admin.settings.saved'
      : /^\d{1,6}$/.test(imported) ? { key: 'admin.fediverse.imported.many', params: { count: Number(imported) } }
        : Object.hasOwn(FOLLOWER_DONE, queryParam(req, 'follower')) ? FOLLOWER_DONE[queryParam(req, 'follower')] : undefined;
    render(res, 200, stored(), {}, notice);
  });

  router.post(SCREEN, (req, res) => {
    const values: FormValues = {
      fediverseEnabled: fields(req.body, 'fediverseEnabled').length > 0,
      fediverseHandle: field(req.body, 'fediverseHandle'),
      blockedAccounts: field(req.body, 'blockedAccounts'),
      blockedDomains: field(req.body, 'blockedDomains'),
    };
    const choices = { fediverseEnabled: values.fediverseEnabled, fediverseHandle: values.fediverseHandle };
    const errors = settings.validate(choices);
    for (const kind of ['account', 'domain'] as const) {
      const list = values[LIST_FIELD[kind]];
      const invalid = list.length > MAX_LIST_CHARS ? [] : fediBlocks.invalidIn(kind, list);
      if (list.length > MAX_LIST_CHARS) errors[LIST_FIELD[kind]] = 'admin.fediverse.error.listTooLong';
      else if (invalid.length > 0) errors[LIST_FIELD[kind]] = badLines(kind, invalid);
    }
    if (Object.keys(errors).length > 0) return render(res, 422, values, errors);
    // Each was checked just above, so all of it is stored; the settings tell the page cache (the head's actor link, the login box).
    settings.update(choices);
    fediBlocks.replace('account', values.blockedAccounts);
    fediBlocks.replace('domain', values.blockedDomains);
    res.redirect(303, `${req.baseUrl}${SCREEN}?saved=1`);
  });

  router.post(FEDIVERSE_UPLOAD_PATH, async (req, res) => {
    const parseError = await readUpload(req, res);
    // The token is checked only now that the form is parsed (it throws 403); the form sends it before the file.
    checkCsrf(req, res, () => undefined);
    const kind = field(req.body, 'kind');
    if (kind !== 'account' && kind !== 'domain') throw badRequest('Unknown list');
    const refuse = (status: number, problem: Message) => render(res, status, stored(), {}, undefined, problem);
    if ((parseError as { code?: unknown } | undefined)?.code === 'LIMIT_FILE_SIZE') return refuse(413, 'admin.fediverse.error.fileTooBig');
    if (parseError) return refuse(400, 'admin.fediverse.error.unreadable');
    if (!req.file || req.file.size === 0) return refuse(422, 'admin.fediverse.error.noFile');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(req.file.buffer);
    const { added, invalid } = fediBlocks.importList(kind, text);
    if (invalid.length > 0) return refuse(422, badLines(kind, invalid));
    res.redirect(303, `${req.baseUrl}${SCREEN}?imported=${added}`);
  });

  // Removing tells the follower's instance (a Reject of its Follow); blocking also keeps the account from following again.
  router.post(`${SCREEN}followers/:id/:action`, async (req, res) => {
    const id = parseId(req.params.id);
    const action = req.params.action === 'remove' ? fediverse.followers.removeFollower : req.params.action === 'block' ? fediverse.followers.blockFollower : null;
    if (id === null || !action) throw notFound();
    if (!(await action(id))) throw notFound('No such follower');
    res.redirect(303, `${req.baseUrl}${SCREEN}?follower=${req.params.action === 'remove' ? 'removed' : 'blocked'}#followers`);
  });

  // The comments screen's "Block this account" / "Block this instance": the block is stored and the reply marked as spam.
  router.post('/fediverse/comments/:id/block/:kind', (req, res) => {
    const kind = req.params.kind === 'account' || req.params.kind === 'domain' ? req.params.kind : null;
    const id = parseId(req.params.id);
    if (!kind || id === null) throw notFound();
    const blocked = fediBlocks.blockAuthor(id, kind);
    if (!blocked) throw notFound('Not a Fediverse reply');
    moderation.apply('spam', id);
    // Back to where the list was (its filter, page and post), with the notice.
    const back = new URLSearchParams();
    for (const name of ['status', 'page', 'post']) if (queryParam(req, name)) back.set(name, queryParam(req, name));
    back.set('did', `block-${kind}`);
    back.set('blocked', blocked);
    res.redirect(303, `${req.baseUrl}/comments/?${back}`);
  });

  return router;
}
