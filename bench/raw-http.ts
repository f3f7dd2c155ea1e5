import http from 'node:http';
import https from 'node:https';

export interface RawResponse {
  status: number;
  /** Header names and values as sent (lower-case names). */
  headers: http.IncomingHttpHeaders;
  /** Names and values in turn, in the order and spelling sent. */
  rawHeaders: string[];
  /** The body exactly as sent: still compressed when the server compressed it. */
  body: Buffer;
}

/**
 * One request through node:http(s), which (unlike fetch) never decompresses, so the bytes are the ones on the wire.
 * Certificates are not checked: the benchmark's nginx uses a self-signed one on 127.0.0.1.
 */
export function rawRequest(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method, headers, agent: false, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
