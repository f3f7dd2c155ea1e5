import http from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface ClientOptions {
  /** The nginx port, spoken to over TLS that must verify against `ca`. */
  port: number;
  ca: string;
  /** The loopback address the client connects from (Linux routes all of 127/8 to lo). */
  localAddress: string;
}

/** A browser stand-in on one loopback address: keeps cookies, sends what it is told, follows nothing. */
export function browserFrom({ port, ca, localAddress }: ClientOptions) {
  const cookies = new Map<string, string>();
  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) =>
    new Promise<Answer>((resolve, reject) => {
      const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = https.request(
        { host: '127.0.0.1', port, method, path, ca, localAddress, agent: false, headers: { ...(cookie ? { cookie } : {}), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            for (const line of res.headers['set-cookie'] ?? []) {
              const [pair] = line.split(';');
              const eq = pair.indexOf('=');
              cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
            }
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode!, headers: res.headers, body: bytes, text: bytes.toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, headers),
    postForm: (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      request('POST', path, { 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(fields).toString()),
    /** A multipart form as a browser encodes it (the platform's FormData does the encoding). */
    postMultipart: async (path: string, form: FormData, headers: Record<string, string> = {}) => {
      const encoded = new Request('http://encoder.invalid/', { method: 'POST', body: form });
      const body = Buffer.from(await encoded.arrayBuffer());
      return request('POST', path, { 'content-type': encoded.headers.get('content-type')!, ...headers }, body);
    },
    cookieNames: () => [...cookies.keys()],
  };
}

/** Plain http to nginx's redirecting server. */
export const plainGet = (port: number, path: string) =>
  new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res);
    }).on('error', reject));
