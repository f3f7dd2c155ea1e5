import net from 'node:net';

export interface SlowRequest {
  /** Resolves once the headers and the first part of the body are sent: the request is in flight. */
  started: Promise<void>;
  /** The whole answer as soon as its last byte arrives; rejects if the connection is cut first. */
  response: Promise<{ status: number; body: string }>;
  /** Resolves when the socket closes (at once without keep-alive; when the server ends it with). */
  closed: Promise<void>;
}

/**
 * A same-origin form POST whose body trickles in over `durationMs`, as from a slow uplink: the server
 * cannot answer before the last byte, so the request stays in flight that long without any test hook in the app.
 * With `keepAlive` the socket stays open after the answer, until the server closes it.
 */
export function trickledPost(port: number, path: string, durationMs: number, { host = '127.0.0.1', keepAlive = false } = {}): SlowRequest {
  const chunks = Array.from({ length: 10 }, (_, i) => (i === 0 ? 'comment=' : '') + 'x'.repeat(500));
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const socket = net.connect(port, host);
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));

  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      const answer = completeAnswer(received);
      if (answer && !answered) {
        answered = true;
        resolve(answer);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!answered) reject(new Error('the connection was closed before a whole answer came'));
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  socket.once('connect', () => {
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nSec-Fetch-Site: same-origin\r\n` +
        `Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\n\r\n`,
    );
    let i = 0;
    const next = () => {
      if (socket.destroyed) return;
      socket.write(chunks[i++]);
      if (i === 1) setTimeout(onStarted, 50);
      if (i < chunks.length) setTimeout(next, durationMs / chunks.length);
    };
    next();
  });
  return { started, response, closed };
}

/** The status and text of an HTTP/1.1 answer once all of it (by Content-Length, or the last chunk) is in. */
function completeAnswer(bytes: Buffer): { status: number; body: string } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = bytes.subarray(0, end).toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  const body = bytes.subarray(end + 4);
  const whole = length !== undefined ? body.length >= Number(length) : body.subarray(-5).toString() === '0\r\n\r\n';
  return status && whole ? { status, body: bytes.toString('utf8') } : undefined;
}
