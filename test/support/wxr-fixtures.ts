import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { projectRoot } from '../../src/paths.js';
import { readWxr, type OnProgress } from '../../src/wxr/reader.js';
import type { WxrRecord } from '../../src/wxr/types.js';

export const wxrFixture = (name: string) => path.join(projectRoot, 'test/fixtures/wxr', name);

export const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wxr-'));

/** Every record, or the error reading stopped at with the records yielded before it. */
export async function readAll(file: string, onProgress?: OnProgress, label?: string): Promise<{ records: WxrRecord[]; error?: unknown }> {
  const records: WxrRecord[] = [];
  try {
    for await (const record of readWxr(file, onProgress, label)) records.push(record);
    return { records };
  } catch (error) {
    return { records, error };
  }
}

export type ZipEntry = { name: string; file: string } | { name: string; text: string } | { name: string; directory: true };

/** Writes a zip holding the entries in the order given (yazl deflates files, as WordPress.com's zip does). */
export async function writeZip(target: string, entries: ZipEntry[]): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if ('file' in entry) zip.addFile(entry.file, entry.name);
    else if ('text' in entry) zip.addBuffer(Buffer.from(entry.text), entry.name);
    else zip.addEmptyDirectory(entry.name);
  }
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(target));
  return target;
}

/** WordPress.com's "Export content": a zip of numbered parts, each a whole WXR file (here stored out of name order). */
export function wordpressComZip(target: string): Promise<string> {
  return writeZip(target, [
    { name: 'jurnalrani.wordpress.2024-05-20.001.xml', file: wxrFixture('wordpress-com.001.xml') },
    { name: 'jurnalrani.wordpress.2024-05-20.000.xml', file: wxrFixture('wordpress-com.000.xml') },
  ]);
}

const LARGE_HEAD = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Blog Besar</title>
	<link>https://besar.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
`;

function largeComment(post: number, n: number): string {
  return `		<wp:comment>
			<wp:comment_id>${post * 10 + n}</wp:comment_id>
			<wp:comment_author><![CDATA[Pembaca ${n}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[pembaca${n}@contoh.example]]></wp:comment_author_email>
			<wp:comment_date_gmt><![CDATA[2024-01-01 00:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[${'Komentar yang cukup panjang 👍 & ramah. '.repeat(8)}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_parent>${n > 1 ? post * 10 + n - 1 : 0}</wp:comment_parent>
		</wp:comment>
`;
}

/** A WXR 1.2 file of `items` posts with `commentsPerItem` comments each (about 6 kB per post with five comments). */
export function writeLargeWxr(file: string, items: number, commentsPerItem = 5): void {
  const fd = fs.openSync(file, 'w');
  const paragraph = `<p>${'Paragraf panjang tentang blog, kopi ☕ dan perjalanan. '.repeat(10)}</p>\n`;
  try {
    fs.writeSync(fd, LARGE_HEAD);
    for (let id = 1; id <= items; id++) {
      let comments = '';
      for (let n = 1; n <= commentsPerItem; n++) comments += largeComment(id, n);
      fs.writeSync(
        fd,
        `	<item>
		<title><![CDATA[Tulisan ${id}]]></title>
		<content:encoded><![CDATA[${paragraph.repeat(4)}]]></content:encoded>
		<wp:post_id>${id}</wp:post_id>
		<wp:post_name><![CDATA[tulisan-${id}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:postmeta><wp:meta_key><![CDATA[views]]></wp:meta_key><wp:meta_value><![CDATA[${id}]]></wp:meta_value></wp:postmeta>
${comments}	</item>
`,
      );
    }
    fs.writeSync(fd, '</channel>\n</rss>\n');
  } finally {
    fs.closeSync(fd);
  }
}
