import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Message } from '../i18n/index.js';
import type { Page, User } from '../models.js';
import type { MediaRepository, MediaRow } from '../repositories/media.js';
import type { PendingWorkRepository } from '../repositories/pending-work.js';
import type { SettingsService } from './settings.js';
import { cleanImage, type CleaningRefusal } from './image-cleaning.js';
import { makeVariants, removeVariants } from './image-variants.js';
import type { ImageLookup } from './responsive-images.js';
import { pageWindow, toPage } from './pagination.js';
import { uploadPath } from '../permalinks.js';
import { cleanOriginalName, markdownFor, MEGABYTE, sizeLabel } from './media-labels.js';

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

export interface StoredFile {
  fileName: string;
  mime: string;
  size: number;
}

export interface MediaService {
  /** The largest upload the settings allow. */
  limit(): { mb: number; bytes: number };
  list(page: number, viewer: MediaViewer): Page<MediaItem> | null;
  find(id: number, viewer: MediaViewer): MediaItem | undefined;
  /** Checks the bytes, writes them cleaned of metadata under a random name and records them; a refusal writes nothing. */
  upload(input: UploadInput): Promise<{ id: number } | { refusal: UploadRefusal }>;
  /** An upload's checks and cleaning, the file written but not recorded: for callers that record it their own way. */
  storeFile(bytes: Buffer): Promise<StoredFile | { refusal: UploadRefusal }>;
  /** Removes a file storeFile wrote that could not be recorded. */
  discardFile(fileName: string): Promise<void>;
  /** For a file storeFile wrote and a caller recorded as `id`: its copies and sizes, as an upload gets them. */
  addSizes(id: number, file: StoredFile): Promise<void>;
  /** Deletes the row, then the file and its copies. */
  remove(id: number, viewer: MediaViewer): Promise<'removed' | 'not-found' | 'forbidden'>;
  /** The renderer's view of the upload an `<img src>` names (see responsive-images.ts). */
  images: ImageLookup;
  /**
   * When migration 0016 asked for it: measures the uploads from before it and makes their copies, one by one
   * (an interrupted run starts over where it stopped). Returns how many were measured, or undefined when not asked.
   */
  measureOldUploadsIfRequested(): Promise<{ measured: number; unreadable: number } | undefined>;
}

/** The request migrations/0016_image_sizes.sql leaves. */
const MEASURE = 'image_sizes';
/** What uploadPath() makes of a stored name: 32 hex digits and the extension (see storeFile). */
const STORED_NAME = /^[0-9a-f]{32}\.[a-z]{3,4}$/;

const canDelete = (row: MediaRow, viewer: MediaViewer) => viewer.role === 'administrator' || row.uploadedBy === viewer.id;

const toItem = (row: MediaRow, viewer: MediaViewer): MediaItem => {
  const url = row.fileName ? uploadPath(row.fileName) : row.sourceUrl ?? '';
  return { ...row, url, markdown: markdownFor(row.originalName, url), sizeLabel: sizeLabel(row.size), canDelete: canDelete(row, viewer) };
};

/** `dir` is where the files go (config's uploads folder). */
export function createMediaService(deps: {
  media: MediaRepository;
  settings: SettingsService;
  dir: string;
  work?: PendingWorkRepository;
}): MediaService {
  const { media, settings, dir, work } = deps;
  const uploadsBase = uploadPath('');
  const limit = () => {
    const mb = settings.get().maxUploadMb;
    return { mb, bytes: mb * MEGABYTE };
  };
  const discardFile = (fileName: string) => fs.rm(path.join(dir, fileName), { force: true });
  const storeFile = async (bytes: Buffer): Promise<StoredFile | { refusal: UploadRefusal }> => {
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
    // Readable by the blog's own user only, like the database and the secret.
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(dir, fileName), cleaned, { flag: 'wx', mode: 0o600 });
    return { fileName, mime, size: cleaned.length };
  };

  /** Makes an upload's copies and records its sizes; false when its file is gone or cannot be decoded. */
  const measure = async (id: number, fileName: string, mime: string) => {
    try {
      media.setSizes(id, await makeVariants(dir, fileName, mime));
      return true;
    } catch {
      // Its posts keep a plain <img>, as before.
      return false;
    }
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
      const stored = await storeFile(bytes);
      if ('refusal' in stored) return stored;
      let variants: string[] = [];
      try {
        const sizes = await makeVariants(dir, stored.fileName, stored.mime);
        variants = sizes.variants.map((v) => v.fileName);
        return { id: media.insert({ ...stored, originalName: cleanOriginalName(originalName), uploadedBy }, sizes) };
      } catch (err) {
        await Promise.all([discardFile(stored.fileName), removeVariants(dir, variants)]);
        throw err;
      }
    },
    storeFile,
    discardFile,
    addSizes: async (id, file) => void (await measure(id, file.fileName, file.mime)),
    async remove(id, viewer) {
      const row = media.findById(id);
      if (!row) return 'not-found';
      if (!canDelete(row, viewer)) return 'forbidden';
      const variants = media.variantFiles(id);
      media.delete(id);
      // A file already gone (removed by hand) is not an error: the row was the last trace of it.
      if (row.fileName) await fs.rm(path.join(dir, row.fileName), { force: true });
      await removeVariants(dir, variants);
      return 'removed';
    },
    images(src) {
      const fileName = src.startsWith(uploadsBase) ? src.slice(uploadsBase.length) : '';
      const upload = STORED_NAME.test(fileName) ? media.sizedByFileName(fileName) : undefined;
      if (!upload) return undefined;
      const { variants, ...size } = upload;
      return { ...size, url: src, variants: variants.map((v) => ({ url: uploadPath(v.fileName), mime: v.mime, width: v.width })) };
    },
    async measureOldUploadsIfRequested() {
      if (!work?.requested(MEASURE)) return undefined;
      const counts = { measured: 0, unreadable: 0 };
      for (const upload of media.unsized()) {
        if (await measure(upload.id, upload.fileName!, upload.mime)) counts.measured++;
        else counts.unreadable++;
      }
      work.take(MEASURE);
      return counts;
    },
  };
}
