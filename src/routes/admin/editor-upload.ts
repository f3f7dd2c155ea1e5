import type { Readable } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import multer, { type StorageEngine } from 'multer';
import { currentUser } from '../../auth/identity.js';
import { badRequest } from '../../http/errors.js';
import type { Message } from '../../i18n/index.js';
import type { Post } from '../../models.js';
import { insertionFor } from '../../services/image-insertion.js';
import type { MediaService } from '../../services/media.js';
import { REFUSALS } from './media.js';

/** The editor's own addresses, whose multipart form (the text and an image) the posts routes parse themselves. */
export const EDITOR_UPLOAD_PATH = /^\/(?:posts|pages)\/(?:new|\d{1,12}\/edit)\/$/;

/** The file field of the editor form. */
const IMAGE_FIELD = 'image';

/** What the form's image field held: nothing, a file over the limit, or the file's bytes. */
export type EditorImage = { kind: 'none' } | { kind: 'too-big' } | { kind: 'file'; bytes: Buffer; originalName: string };

// A 1,000,000-character post is up to 4,000,000 bytes of UTF-8; the rest of the form is small.
const TEXT_FIELD_BYTES = 4_100_000;

/**
 * Keeps at most `maxBytes + 1` bytes of the file (one more tells "too big") and reads the rest to nowhere,
 * so the fields after the file arrive too and the editor can show everything typed. Multer's own size limit
 * would stop reading there. The request as a whole is bounded by the proxy (deploy/nginx.conf).
 */
const boundedMemory = (maxBytes: number): StorageEngine => ({
  _handleFile(_req, file, done) {
    const parts: Buffer[] = [];
    let kept = 0;
    const stream = file.stream as Readable;
    stream.on('data', (chunk: Buffer) => {
      if (kept > maxBytes) return;
      const part = chunk.subarray(0, maxBytes + 1 - kept);
      parts.push(part);
      kept += part.length;
    });
    stream.on('error', done);
    stream.on('end', () => done(null, { buffer: Buffer.concat(parts), size: kept }));
  },
  _removeFile(_req, file, done) {
    delete (file as Partial<Express.Multer.File>).buffer;
    done(null);
  },
});

/**
 * Parses the editor's multipart form into `req.body`, resolving with its image, or with `'unreadable'`
 * when the form is broken. A urlencoded form (parsed already) resolves with no image.
 */
function readEditorForm(req: Request, res: Response, maxBytes: number): Promise<EditorImage | 'unreadable'> {
  if (!req.is('multipart/form-data')) return Promise.resolve({ kind: 'none' });
  const parse = multer({
    storage: boundedMemory(maxBytes),
    limits: { files: 1, fields: 1000, parts: 1001, fieldSize: TEXT_FIELD_BYTES, fieldNameSize: 100 },
    defParamCharset: 'utf8',
  }).single(IMAGE_FIELD);
  return new Promise((resolve) => {
    parse(req, res, (error: unknown) => {
      if (error) return resolve('unreadable');
      const file = req.file;
      if (!file) return resolve({ kind: 'none' });
      if (file.size > maxBytes) return resolve({ kind: 'too-big' });
      resolve({ kind: 'file', bytes: file.buffer, originalName: file.originalname });
    });
  });
}

/** The image the editor form brought, stored in the media library: what to put in the source, or why it was refused. */
export type EditorUpload = { insertion?: string; problem?: Message };

/**
 * Reads the editor's form (checking its token once parsed, as the upload route does) and stores its image.
 * `format` is the post's source format, which decides between a Markdown line and an `<img>`.
 */
export async function takeEditorImage(req: Request, res: Response, deps: {
  media: MediaService; checkCsrf: RequestHandler; format: Post['sourceFormat'];
}): Promise<EditorUpload> {
  const { media, checkCsrf, format } = deps;
  const image = await readEditorForm(req, res, media.limit().bytes);
  if (image === 'unreadable') throw badRequest('Unreadable form');
  if (req.is('multipart/form-data')) checkCsrf(req, res, () => undefined);
  const refused = (reason: keyof typeof REFUSALS): EditorUpload => ({ problem: REFUSALS[reason](media.limit().mb)[1] });
  if (image.kind === 'none') return {};
  if (image.kind === 'too-big') return refused('too-big');
  const result = await media.upload({ bytes: image.bytes, originalName: image.originalName, uploadedBy: currentUser(req)!.id });
  if ('refusal' in result) return refused(result.refusal);
  return { insertion: insertionFor(media.find(result.id, currentUser(req)!)!, format) };
}
