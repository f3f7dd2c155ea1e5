import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createRecordParser } from './record-parser.js';
import { WxrError, type WxrRecord } from './types.js';
import { isZip, openXmlEntries } from './zip.js';

export type OnProgress = (bytesRead: number, totalBytes: number) => void;

/** Progress is told at most once per this many bytes, and at the end. */
const PROGRESS_STEP = 64 * 1024;

/**
 * The records of a WXR file, or of every `.xml` file in a WordPress.com export zip, in file order: channel, authors,
 * terms, items. Streams: one item at a time is held. Throws WxrError, possibly after records were yielded.
 * `label` names the file in errors: an upload's own name rather than its temporary file's.
 */
export async function* readWxr(file: string, onProgress?: OnProgress, label = path.basename(file)): AsyncGenerator<WxrRecord> {
  const size = await sizeOf(file, label);
  if (size === 0) throw new WxrError('the file is empty', label, 0);
  if (await isZip(file)) {
    yield* readZip(file, label, onProgress);
  } else {
    const progress = progressTracker(size, onProgress);
    yield* readXml(fs.createReadStream(file), label, progress);
  }
}

async function* readZip(file: string, label: string, onProgress: OnProgress | undefined): AsyncGenerator<WxrRecord> {
  const zip = await openXmlEntries(file).catch((error: Error) => {
    throw new WxrError(`not a readable zip file (${error.message})`, label, 0);
  });
  try {
    if (zip.entries.length === 0) throw new WxrError('the zip file holds no XML file', label, 0);
    const progress = progressTracker(
      zip.entries.reduce((sum, e) => sum + e.size, 0),
      onProgress,
    );
    for (const entry of zip.entries) {
      const entryLabel = `${label}/${entry.name}`;
      const stream = await entry.open().catch((error: Error) => {
        throw new WxrError(`the zip entry cannot be read (${error.message})`, entryLabel, 0);
      });
      yield* readXml(stream, entryLabel, progress);
    }
  } finally {
    zip.close();
  }
}

async function* readXml(stream: Readable, label: string, progress: (bytes: number) => void): AsyncGenerator<WxrRecord> {
  const queue: WxrRecord[] = [];
  const parser = createRecordParser(label, (record) => queue.push(record));
  // WordPress writes UTF-8; the decoder keeps a character split across two chunks whole.
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(decoder.write(chunk));
      progress(chunk.length);
      yield* queue.splice(0);
    }
  } catch (error) {
    if (error instanceof WxrError) throw error;
    throw new WxrError(`the file cannot be read (${(error as Error).message})`, label, 0);
  }
  parser.write(decoder.end());
  parser.end();
  yield* queue.splice(0);
}

function progressTracker(total: number, onProgress: OnProgress | undefined): (bytes: number) => void {
  let done = 0;
  let told = 0;
  return (bytes) => {
    done += bytes;
    if (onProgress && (done - told >= PROGRESS_STEP || done >= total)) {
      told = done;
      onProgress(done, total);
    }
  };
}

async function sizeOf(file: string, label: string): Promise<number> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new WxrError('not a file', label, 0);
    return stat.size;
  } catch (error) {
    if (error instanceof WxrError) throw error;
    throw new WxrError(`the file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, label, 0);
  }
}
