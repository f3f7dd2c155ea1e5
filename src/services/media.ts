import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Message } from '../i18n/index.js';
import type { Page, User } from '../models.js';
import type { MediaRepository, MediaRow } from '../repositories/media.js';
import type { SettingsService } from './settings.js';
import { cleanImage, type CleaningRefusal } from './image-cleaning.js';
import { pageWindow, toPage } from './pagination.js';
import { uploadPath } from '../permalinks.js';

export { MAX_PIXELS } from './image-cleaning.js';

/** The image types we accept, by the type their bytes show, with the extension they are stored under. */
const EXTENSIONS = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
]);
export const ACCEPTED_TYPES = [...EXTENSIONS.keys()];
/** An animated PNG is a PNG to every browser; file-type names it apart. */
const SAME_AS: Record<string, string> = { 'image/apng': 'image/png' };

const PER_PAGE = 40;
const MEGABYTE = 1024 * 1024;

export type MediaViewer = Pick<User, 'id' | 'role'>;

/** An image as the admin shows it: where it is served, the Markdown to paste, and whether the viewer may delete it. */
export interface MediaItem extends MediaRow {
  url: string;
  markdown: string;
  sizeLabel: Message;
  canDelete: boolean;
}

export interface UploadInput {
  bytes: Buffer;
  originalName: string;
  uploadedBy: number;
}

export type UploadRefusal = 'empty' | 'too-big' | CleaningRefusal;

export interface MediaService {
  /** The largest upload the settings allow. */
  limit(): { mb: number; bytes: number };
  list(page: number, viewer: MediaViewer): Page<MediaItem> | null;
  find(id: number, viewer: MediaViewer): MediaItem | undefined;
  /** Checks the bytes, writes them cleaned of metadata under a random name and records them; a refusal writes nothing. */
  upload(input: UploadInput): Promise<{ id: number } | { refusal: UploadRefusal }>;
  /** Deletes the row, then the file. */
  remove(id: number, viewer: MediaViewer): Promise<'removed' | 'not-found' | 'forbidden'>;
}

/** The uploader's own name for the list: no folders (some browsers send them), no control characters. */
function cleanOriginalName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 200) || 'image';
}

/** `![name](/uploads/file)`, the name without its extension and with the characters that would end the alt text escaped. */
const markdownFor = (originalName: string, url: string) =>
  `![${originalName.replace(/\.[^.]*$/, '').replace(/[\\[\]]/g, '\\$&')}](${url})`;

function sizeLabel(bytes: number): Message {
  if (bytes < 1024) return { key: 'admin.media.size.bytes', params: { count: bytes } };
  if (bytes < MEGABYTE) return { key: 'admin.media.size.kb', params: { size: Math.round(bytes / 1024) } };
  return { key: 'admin.media.size.mb', params: { size: (bytes / MEGABYTE).toFixed(1) } };
}

const canDelete = (row: MediaRow, viewer: MediaViewer) => viewer.role === 'administrator' || row.uploadedBy === viewer.id;

const toItem = (row: MediaRow, viewer: MediaViewer): MediaItem => {
  const url = row.fileName ? uploadPath(row.fileName) : row.sourceUrl ?? '';
  return { ...row, url, markdown: markdownFor(row.originalName, url), sizeLabel: sizeLabel(row.size), canDelete: canDelete(row, viewer) };
};

/** `dir` is where the files go (config's uploads folder). */
export function createMediaService(deps: { media: MediaRepository; settings: SettingsService; dir: string }): MediaService {
  const { media, settings, dir } = deps;
  const limit = () => {
    const mb = settings.get().maxUploadMb;
    return { mb, bytes: mb * MEGABYTE };
  };

  return {
    limit,
    list(page, viewer) {
      const total = media.count();
      const window = pageWindow(total, page, PER_PAGE);
      if (!window) return null;
      const items = media.list(window.limit, window.offset).map((row) => toItem(row, viewer));
      return toPage(items, page, window.totalPages, total);
    },
    find(id, viewer) {
      const row = media.findById(id);
      return row && toItem(row, viewer);
    },
    async upload({ bytes, originalName, uploadedBy }) {
      if (bytes.length === 0) return { refusal: 'empty' };
      if (bytes.length > limit().bytes) return { refusal: 'too-big' };
      // The type comes from the bytes alone: a script named .jpg or an SVG (which can carry script) is refused.
      // Loaded on the first upload, not at start-up.
      const { fileTypeFromBuffer } = await import('file-type');
      const detected = (await fileTypeFromBuffer(bytes))?.mime;
      const mime = detected && (SAME_AS[detected] ?? detected);
      const extension = mime && EXTENSIONS.get(mime);
      if (!mime || !extension) return { refusal: 'not-an-image' };
      const cleaned = await cleanImage(bytes, detected);
      if (typeof cleaned === 'string') return { refusal: cleaned };

      const fileName = `${crypto.randomBytes(16).toString('hex')}.${extension}`;
      const file = path.join(dir, fileName);
      // Readable by the blog's own user only, like the database and the secret.
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await fs.writeFile(file, cleaned, { flag: 'wx', mode: 0o600 });
      try {
        return { id: media.insert({ fileName, originalName: cleanOriginalName(originalName), mime, size: cleaned.length, uploadedBy }) };
      } catch (err) {
        await fs.rm(file, { force: true });
        throw err;
      }
    },
    async remove(id, viewer) {
      const row = media.findById(id);
      if (!row) return 'not-found';
      if (!canDelete(row, viewer)) return 'forbidden';
      media.delete(id);
      // A file already gone (removed by hand) is not an error: the row was the last trace of it.
      if (row.fileName) await fs.rm(path.join(dir, row.fileName), { force: true });
      return 'removed';
    },
  };
}
