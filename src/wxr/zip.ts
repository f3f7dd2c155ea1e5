import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** A zip's first bytes: a local file header, or the end record of an empty archive. */
export async function isZip(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const magic = buffer.subarray(0, bytesRead).toString('latin1');
    return magic === 'PK\x03\x04' || magic === 'PK\x05\x06';
  } finally {
    await handle.close();
  }
}

export interface XmlEntry {
  name: string;
  size: number;
  open(): Promise<Readable>;
}

/** The zip's `.xml` files in name order (WordPress.com numbers them: `blog.wordpress.2024-05-01.000.xml`, `.001.xml`). */
export async function openXmlEntries(file: string): Promise<{ entries: XmlEntry[]; close(): void }> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  try {
    const all = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const found: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        found.push(entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve(found));
      zip.once('error', reject);
      zip.readEntry();
    });
    const entries = all
      .filter((e) => e.fileName.toLowerCase().endsWith('.xml') && !e.fileName.startsWith('__MACOSX/'))
      .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))
      .map((e) => ({ name: e.fileName, size: e.uncompressedSize, open: () => zip.openReadStreamPromise(e) }));
    return { entries, close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}
