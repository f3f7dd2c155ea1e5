import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { currentUser } from '../../auth/identity.js';
import { requireSessionCsrf } from '../../http/csrf.js';
import { forbidden, notFound } from '../../http/errors.js';
import { idParam, queryParam } from '../../http/form.js';
import type { ViewHelpers } from '../../http/locals.js';
import type { Message } from '../../i18n/index.js';
import { insertionFor } from '../../services/image-insertion.js';
import { ACCEPTED_TYPES, MAX_PIXELS, type MediaService, type UploadRefusal } from '../../services/media.js';
import type { AdminDeps } from './index.js';

/** Paths (inside /admin) whose multipart forms this router parses and checks the CSRF token of itself. */
export const UPLOAD_PATHS = ['/media/'];

/** The editor's script asks for JSON (`Accept: application/json`); a plain form gets the library page. */
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

const LIST = '/admin/media/';

/** Status and message for each refused upload; `mb` is the current limit. */
export const REFUSALS: Record<UploadRefusal | 'no-file' | 'unreadable', (mb: number) => [number, Message]> = {
  'no-file': () => [422, 'admin.media.refusal.noFile'],
  empty: () => [422, 'admin.media.refusal.empty'],
  'too-big': (mb) => [413, { key: 'admin.media.refusal.tooBig', params: { mb } }],
  'not-an-image': () => [415, 'admin.media.refusal.notAnImage'],
  'too-large-dimensions': () => [422, { key: 'admin.media.refusal.tooLargeDimensions', params: { megapixels: MAX_PIXELS / 1_000_000 } }],
  unreadable: () => [400, 'admin.media.refusal.unreadable'],
};

/** Parses the multipart form into memory, resolving with the parser's complaint (if any) instead of failing. */
function readUpload(req: Request, res: Response, maxBytes: number): Promise<unknown> {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024, fieldNameSize: 100, parts: 8 },
    defParamCharset: 'utf8',
  }).single('file');
  return new Promise((resolve) => parse(req, res, resolve));
}

function pageNumber(req: Request): number {
  const raw = queryParam(req, 'page') || '1';
  if (!/^[1-9]\d{0,6}$/.test(raw)) throw notFound();
  return Number(raw);
}

function showLibrary(res: Response, media: MediaService, page: number, locals: { notice?: Message; problem?: Message; uploadedId?: number } = {}) {
  const viewer = currentUser(res.req)!;
  // Past the last page (or a page of a library emptied since) is not a page.
  const library = media.list(page, viewer);
  if (!library) throw notFound();
  const uploaded = locals.uploadedId ? media.find(locals.uploadedId, viewer) : undefined;
  res.render('admin/media', {
    library,
    uploaded,
    notice: uploaded ? { key: 'admin.media.uploaded', params: { name: uploaded.originalName } } : locals.notice,
    problem: locals.problem,
    limitMb: media.limit().mb,
    accept: ACCEPTED_TYPES.join(','),
  });
}

export function mediaRouter(deps: AdminDeps): Router {
  const router = Router();
  const { media } = deps.services;
  const checkCsrf = requireSessionCsrf(deps.secret);

  router.get('/media/', (req, res) => {
    const uploaded = /^[1-9]\d{0,11}$/.test(queryParam(req, 'uploaded')) ? Number(queryParam(req, 'uploaded')) : undefined;
    const notice: Message | undefined = queryParam(req, 'deleted') ? 'admin.media.deleted' : undefined;
    showLibrary(res, media, pageNumber(req), { uploadedId: uploaded, notice });
  });

  router.post('/media/', async (req, res) => {
    const parseError = await readUpload(req, res, media.limit().bytes);
    // The token is checked only now that the form is parsed (it throws 403); the form sends it before the file.
    checkCsrf(req, res, () => undefined);
    const refuse = (reason: keyof typeof REFUSALS) => {
      const [status, problem] = REFUSALS[reason](media.limit().mb);
      res.status(status);
      if (wantsJson(req)) return res.json({ error: (res.locals as ViewHelpers).say(problem) });
      showLibrary(res, media, 1, { problem });
    };
    if (parseError) return refuse((parseError as { code?: unknown }).code === 'LIMIT_FILE_SIZE' ? 'too-big' : 'unreadable');
    if (!req.file) return refuse('no-file');
    const result = await media.upload({ bytes: req.file.buffer, originalName: req.file.originalname, uploadedBy: currentUser(req)!.id });
    if ('refusal' in result) return refuse(result.refusal);
    if (wantsJson(req)) {
      const item = media.find(result.id, currentUser(req)!)!;
      return res.status(201).json({ id: item.id, url: item.url, markdown: item.markdown, html: insertionFor(item, 'html') });
    }
    res.redirect(303, `${LIST}?uploaded=${result.id}`);
  });

  router.get('/media/:id/delete/', (req, res) => {
    const item = media.find(idParam(req), currentUser(req)!);
    if (!item) throw notFound();
    if (!item.canDelete) throw forbidden('Only an administrator may delete images someone else uploaded');
    res.render('admin/media-delete', { item });
  });

  router.post('/media/:id/delete/', async (req, res) => {
    const outcome = await media.remove(idParam(req), currentUser(req)!);
    if (outcome === 'not-found') throw notFound();
    if (outcome === 'forbidden') throw forbidden('Only an administrator may delete images someone else uploaded');
    res.redirect(303, `${LIST}?deleted=1`);
  });

  return router;
}
