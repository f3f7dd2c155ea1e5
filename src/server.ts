import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Timeouts chosen for a reverse proxy in front. nginx keeps idle upstream connections up to 60 s
 * (keepalive_timeout); Node's default of 5 s made a reused socket close under the proxy as it sent a
 * request (a reset). The app must outlive the proxy's idle timeout, and headersTimeout must exceed it so
 * headers on a reused socket are never cut short; requestTimeout bounds a whole request, uploads included.
 */
export const TIMEOUTS = { keepAliveTimeout: 65_000, headersTimeout: 66_000, requestTimeout: 120_000 };

/** How long requests in flight get to finish after SIGTERM before their sockets are cut. */
export const GRACE_MS = 10_000;

export interface ListenOptions {
  port: number;
  host: string;
  /** Runs once every connection has ended (or was cut after the grace period): checkpoint, close the database. */
  onClose: () => void;
  graceMs?: number;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops accepting, lets requests in flight finish, then calls onClose. Calling it again returns the same promise. */
  shutdown: () => Promise<void>;
}

/** An Express app: a request listener, and the prototypes it gives each request and response. */
type App = http.RequestListener & { request: object; response: object };

/**
 * Request and response classes whose objects are born with the prototypes Express gives them. Express sets those on
 * each request and response it takes (Object.setPrototypeOf), and V8 pays for a changed prototype: a bare server
 * doing it ran at under a third of its speed, and left objects in the old generation that only a full collection
 * frees, so every page rendered grew the heap. Born with them, the change is no change. The classes' prototypes take
 * the place of the app's, which they extend: Express and its routes see the same methods.
 */
function bornWithPrototypesOf(app: App): http.ServerOptions {
  class AppRequest extends http.IncomingMessage {}
  class AppResponse extends http.ServerResponse {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype;
  app.response = AppResponse.prototype;
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as typeof http.ServerResponse };
}

export function listen(app: App, { port, host, onClose, graceMs = GRACE_MS }: ListenOptions): Promise<RunningServer> {
  const server = http.createServer(bornWithPrototypesOf(app), app);
  Object.assign(server, TIMEOUTS);

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      // A keep-alive socket goes idle once its last response is sent; close it then rather than waiting for its timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(cut);
        try {
          onClose();
          resolve();
        } catch (err) {
          reject(err);
        }
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port, shutdown });
    });
  });
}
