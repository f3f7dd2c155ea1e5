import pino, { type Logger } from 'pino';

/** Lines are gathered up to this many bytes and written at once: one write per few dozen requests, not one each. */
const BATCH_BYTES = 4096;
/** A quiet blog's lines still reach the journal within this long. */
export const FLUSH_EVERY_MS = 1000;

/**
 * The process's logger: written asynchronously and in batches, so a request never waits for the journal and a busy
 * server does not pay a system call per access-log line; a timer flushes what a quiet second left in the batch.
 * `close()` stops the timer and writes what is left, then calls back (before the process exits).
 */
export function createLogger(level: string, dest: number | string = 1): Logger & { close: (done: () => void) => void } {
  const stream = pino.destination({ dest, sync: false, minLength: BATCH_BYTES });
  const logger = pino({ level }, stream);
  const flushing = setInterval(() => stream.flush(), FLUSH_EVERY_MS).unref();
  return Object.assign(logger, {
    close(done: () => void) {
      clearInterval(flushing);
      logger.flush(() => done());
    },
  });
}
