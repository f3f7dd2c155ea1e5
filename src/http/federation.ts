import { Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Fediverse } from '../fediverse/index.js';
import type { SettingsService } from '../services/settings.js';
import { asksForActivity, isFederationPath } from '../fediverse/paths.js';
import { HttpError } from './errors.js';

/** Inbox bodies larger than this are refused before they are read (an activity is a few kB). */
export const MAX_INBOX_BYTES = 256 * 1024;

const ACTIVITY_JSON = 'application/activity+json';
const tooLarge = () => new HttpError(413, 'Payload too large');

/** The request's body, refused with 413 past the limit (by its Content-Length, or as it streams in). */
async function bodyOf(req: Request): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  if (Number(req.headers['content-length'] ?? 0) > MAX_INBOX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INBOX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The Fetch API request Fedify reads, at the site's address (Fedify answers for that origin whatever the Host says,
 * and a Host such as "a b" would make no URL at all). The headers, Host included, go on as sent: signatures cover them.
 */
async function fetchRequestOf(req: Request, siteUrl: string): Promise<globalThis.Request> {
  // Only an origin-form target ("/path?query") names a path on this site; an absolute-form one is not ours.
  if (!req.originalUrl.startsWith('/')) throw new HttpError(400, 'Bad request');
  const url = `${new URL(siteUrl).origin}${req.originalUrl}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const body = await bodyOf(req);
  return new globalThis.Request(url, { method: req.method, headers, body: body && new Uint8Array(body) });
}

async function send(res: Response, response: globalThis.Response) {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) return void res.end();
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
  });
}

/**
 * Hands federated requests to Fedify, loading it on the first one. The cheap checks decide first: a federation
 * path (WebFinger, the actor, inboxes…) or a GET asking for activity+json at the home page or a permalink;
 * everything else goes on untouched.
 * @fedify/express's adapter is not used: a rejection inside it is unhandled (and ends the process), and it reads
 * any body; here every error goes to next() and an inbox body has a size limit.
 */
export function federation(fediverse: Fediverse, settings: Pick<SettingsService, 'siteUrl'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const federated = isFederationPath(req.path);
    const negotiated = !federated && asksForActivity(req);
    if (!federated && !negotiated) return next();
    // Off: the federation's own paths are not found (no trailing-slash redirect first); a page is just the page.
    if (!fediverse.enabled()) return next(federated ? new HttpError(404, 'Not found') : undefined);
    (federated ? viaFedify(fediverse, settings, req, res, next) : article(fediverse, req, res, next)).catch(next);
  };
}

async function viaFedify(fediverse: Fediverse, settings: Pick<SettingsService, 'siteUrl'>, req: Request, res: Response, next: NextFunction) {
  const [federation, request] = await Promise.all([fediverse.federation(), fetchRequestOf(req, settings.siteUrl())]);
  let passed = false;
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => {
      passed = true;
      return new globalThis.Response(null, { status: 404 });
    },
    // The actor in a browser: the blog's home page is its profile.
    onNotAcceptable: async () => new globalThis.Response(null, { status: 302, headers: { Location: '/' } }),
  });
  if (passed) return next();
  await send(res, response);
}

async function article(fediverse: Fediverse, req: Request, res: Response, next: NextFunction) {
  // The home page stands for the blog: its ActivityStreams form is the actor.
  if (req.path === '/') return res.redirect(302, (await fediverse.actorUri()).href);
  const json = await fediverse.articleAt(req.path);
  // No post or page there: the reader's routes answer (a moved post's redirect, the 404 page).
  if (json === undefined) return next();
  if (json === null) return next(new HttpError(404, 'Not found'));
  res.vary('Accept').type(ACTIVITY_JSON).send(JSON.stringify(json));
}
