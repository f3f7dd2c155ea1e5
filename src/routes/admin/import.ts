import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { requireAdministrator } from '../../auth/guards.js';
import { requireSessionCsrf } from '../../http/csrf.js';
import { notFound } from '../../http/errors.js';
import type { Message } from '../../i18n/index.js';
import { KINDS } from '../../wxr/import-summary.js';
import type { AdminDeps } from './index.js';

/** Exports of blogs with years of posts run to hundreds of megabytes; they go to a temporary file, never memory. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

const SCREEN = '/admin/import/';

/** Parses the multipart form into a temporary file, resolving with the parser's complaint (if any). */
function readUpload(req: Request, res: Response): Promise<unknown> {
  const parse = multer({
    dest: fs.mkdtempSync(path.join(os.tmpdir(), 'blog-import-')),
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, fieldSize: 1024, fieldNameSize: 100, parts: 8 },
    defParamCharset: 'utf8',
  }).single('file');
  return new Promise((resolve) => parse(req, res, resolve));
}

function showScreen(res: Response, problem?: Message) {
  res.render('admin/import', { problem, maxMb: MAX_IMPORT_BYTES / 1024 / 1024 });
}

/** Tools → Import: a WordPress export uploaded, imported between the server's requests, its progress on a page of its own. */
export function importRouter(deps: AdminDeps): Router {
  const router = Router();
  const { importJobs, settings } = deps.services;
  const checkCsrf = requireSessionCsrf(deps.secret);
  router.use('/import', requireAdministrator);

  router.get('/import/', (_req, res) => showScreen(res));

  router.post('/import/', async (req, res) => {
    const parseError = await readUpload(req, res);
    const discard = () => {
      if (req.file) fs.rmSync(path.dirname(req.file.path), { recursive: true, force: true });
    };
    try {
      checkCsrf(req, res, () => undefined);
    } catch (err) {
      discard();
      throw err;
    }
    if (parseError) {
      discard();
      res.status((parseError as { code?: unknown }).code === 'LIMIT_FILE_SIZE' ? 413 : 400);
      return showScreen(res, (parseError as { code?: unknown }).code === 'LIMIT_FILE_SIZE' ? { key: 'admin.import.problem.tooBig', params: { mb: MAX_IMPORT_BYTES / 1024 / 1024 } } : 'admin.import.problem.unreadable');
    }
    if (!req.file || req.file.size === 0) {
      discard();
      res.status(422);
      return showScreen(res, 'admin.import.problem.noFile');
    }
    if (importJobs.running()) {
      discard();
      res.status(409);
      return showScreen(res, 'admin.import.problem.busy');
    }
    const job = importJobs.start(req.file.path, req.file.originalname, discard);
    res.redirect(303, `${SCREEN}${job.id}/`);
  });

  router.get('/import/:job/', (req, res) => {
    const job = importJobs.find(String(req.params.job));
    if (!job) throw notFound();
    const running = job.state === 'checking' || job.state === 'importing';
    const applied = req.query.applied;
    const notice: Message | undefined = applied === 'yes' ? 'admin.import.applied' : undefined;
    const problem: Message | undefined = applied === 'no' ? 'admin.import.notApplied' : undefined;
    res.render('admin/import-job', { job, running, kinds: KINDS, percent: job.total > 0 ? Math.floor((job.done / job.total) * 100) : 0, notice, problem });
  });

  /** The channel's title and tagline, offered on the summary: applied only when the administrator asks. */
  router.post('/import/:job/use-title/', (req, res) => {
    const job = importJobs.find(String(req.params.job));
    if (!job?.summary) throw notFound();
    const { title, tagline } = job.summary.channel;
    const { errors } = settings.update({ title: title || settings.get().title, tagline });
    res.redirect(303, `${SCREEN}${job.id}/?applied=${errors ? 'no' : 'yes'}`);
  });

  return router;
}
