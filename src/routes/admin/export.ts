import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { requireAdministrator } from '../../auth/guards.js';
import type { AdminDeps } from './index.js';

/** /admin/export/: the administrator downloads the whole blog as a WordPress eXtended RSS file. */
export function exportRouter({ services: { wxrExport } }: AdminDeps): Router {
  const router = Router();
  router.use('/export', requireAdministrator);

  router.get('/export/', (_req, res) => res.render('admin/export'));

  // A POST with the session's token: a page elsewhere cannot make a logged-in browser run a whole-blog export.
  router.post('/export/', async (_req, res) => {
    res.set('Content-Type', 'text/xml; charset=UTF-8');
    res.set('Content-Disposition', `attachment; filename="${wxrExport.fileName()}"`);
    // Written item by item as the connection takes it; a reader who cancels the download only stops it.
    await pipeline(Readable.from(wxrExport.document()), res).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
    });
  });
  return router;
}
