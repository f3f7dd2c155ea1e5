import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkHost, type HostCheck } from '../services/public-address.js';

/** Why a file was not fetched; the URL stays as it was. */
export type FetchFailure =
  | { reason: 'scheme'; scheme: string }
  | { reason: 'address'; address: string; range: string }
  | { reason: 'dns'; host: string }
  | { reason: 'status'; status: number }
  | { reason: 'redirects' }
  | { reason: 'timeout' }
  | { reason: 'too-big' }
  | { reason: 'network'; code: string };

export interface FetchOptions {
  /** Loopback, private, link-local, unique-local and unspecified addresses are refused unless this is set. */
  allowPrivate: boolean;
  /** Reading stops, and the file is refused, beyond this many bytes. */
  maxBytes: number;
  /** For the whole file, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
}

type Checked = Extract<HostCheck, { addresses: unknown }>;

/** Hands the connection the addresses already checked: no second DNS answer between the check and the connect. */
const pinnedLookup = ({ addresses }: Checked): LookupFunction => (_hostname, options, callback) => {
  if (options.all) callback(null, addresses);
  else callback(null, addresses[0].address, addresses[0].family);
};

type Answer = { redirect: string } | { bytes: Buffer } | FetchFailure;

function getOnce(url: URL, checked: Checked, maxBytes: number, signal: AbortSignal): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, { lookup: pinnedLookup(checked), signal, headers: { accept: 'image/*' } }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        return resolve({ redirect: location });
      }
      if (status < 200 || status >= 300) {
        response.resume();
        return resolve({ reason: 'status', status });
      }
      if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
        request.destroy();
        return resolve({ reason: 'too-big' });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Stop reading at once: a server that lies about the length (or sends none) is not read to its end.
        if (size > maxBytes) {
          request.destroy();
          return resolve({ reason: 'too-big' });
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ bytes: Buffer.concat(chunks) }));
      // Cut off before its end (after 'end', this changes nothing: a promise settles once).
      response.on('close', () => resolve(signal.aborted ? { reason: 'timeout' } : { reason: 'network', code: 'ECONNRESET' }));
      response.on('error', () => undefined);
    });
    request.on('error', (err: NodeJS.ErrnoException) =>
      resolve(signal.aborted ? { reason: 'timeout' } : { reason: 'network', code: err.code ?? err.message }));
  });
}

/** Settles when the time is up: a slow name server counts against the file's time too. */
const timedOut = (signal: AbortSignal) =>
  new Promise<FetchFailure>((resolve) => signal.addEventListener('abort', () => resolve({ reason: 'timeout' }), { once: true }));

/**
 * Fetches one file over http(s) from a public address: each hop's scheme and addresses checked before connecting,
 * at most `maxRedirects` redirects, the bytes bounded and the whole within the time limit.
 */
export async function fetchChecked(address: string, options: FetchOptions): Promise<{ bytes: Buffer } | FetchFailure> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { reason: 'scheme', scheme: '' };
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'scheme', scheme: url.protocol.replace(/:$/, '') };
    const checked = await Promise.race([checkHost(url.hostname, options.allowPrivate), timedOut(signal)]);
    if ('reason' in checked) return checked;
    if (signal.aborted) return { reason: 'timeout' };
    const answer = await getOnce(url, checked, options.maxBytes, signal);
    if (!('redirect' in answer)) return answer;
    if (hop >= options.maxRedirects) return { reason: 'redirects' };
    try {
      url = new URL(answer.redirect, url);
    } catch {
      return { reason: 'scheme', scheme: '' };
    }
  }
}
