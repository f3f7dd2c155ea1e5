import pino, { type Logger } from 'pino';

/** Lines are gathered up to this many bytes and written at once: one write per few dozen requests, not one each. */
const BATCH_BYTES = 4096;
/** A quiet blog's lines still reach the journal within this long. */
export const FLUSH_EVERY_MS = 1000;

/**
 * Lines kept in an array and handed on joined, a batch at a time. sonic-boom batches by itself too (`minLength`),
 * but its write() measures the whole text it holds at every call, a few kilobytes scanned per access-log line.
 */
function lineBatch(sink: ReturnType<typeof pino.destination>) {
  const lines: string[] = [];
  let length = 0;
  const handOn = () => {
    if (lines.length === 0) return;
    sink.write(lines.join(''));
    lines.length = 0;
    length = 0;
  };
  return {
    write(line: string) {
      lines.push(line);
      length += line.length;
      if (length >= BATCH_BYTES) handOn();
    },
    handOn,
    /** pino's flush(cb): what is gathered, then sonic-boom's writes under way. */
    flush(done?: (err?: Error) => void) {
      handOn();
      sink.flush(done);
    },
  };
}

/**
 * The process's logger: written asynchronously and in batches, so a request never waits for the journal and a busy
 * server does not pay a system call per access-log line; a timer flushes what a quiet second left in the batch.
 * `close()` stops the timer and writes what is left, then calls back (before the process exits).
 */
export function createLogger(level: string, dest: number | string = 1): Logger & { close: (done: () => void) => void } {
  // minLength 1: each batch is written as it comes, and flush(cb) waits for the writes under way.
  const sink = pino.destination({ dest, sync: false, minLength: 1 });
  const batch = lineBatch(sink);
  const logger = pino({ level }, batch);
  const flushing = setInterval(batch.handOn, FLUSH_EVERY_MS).unref();
  // A process that ends without close() (a crash, process.exit) still writes its last lines, as pino's own exit hook
  // does for the lines sonic-boom holds; this batch is in front of it.
  const atExit = () => {
    batch.handOn();
    try {
      sink.flushSync();
    } catch {
      // The destination never opened, or is gone: nothing can be written.
    }
  };
  process.once('exit', atExit);
  return Object.assign(logger, {
    close(done: () => void) {
      clearInterval(flushing);
      process.removeListener('exit', atExit);
      batch.flush(() => done());
    },
  });
}
