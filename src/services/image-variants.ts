import fs from 'node:fs/promises';
import path from 'node:path';
import type { Sharp } from 'sharp';
import type { MediaSizes, MediaVariant } from '../repositories/media.js';
import { MAX_PIXELS } from './image-cleaning.js';
import { keepDrawnChunks } from './png-chunks.js';

/** The widths a phone, a tablet, a laptop and a high-density screen ask for; never wider than the original. */
export const VARIANT_WIDTHS = [480, 768, 1200, 1600];
const WIDEST = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1];
const WEBP = 'image/webp';

/** Copies are for display only: lighter settings than the cleaned original's. Animations stay animated. */
const ENCODERS: Record<string, { extension: string; encode: (image: Sharp) => Sharp }> = {
  'image/jpeg': { extension: 'jpg', encode: (image) => image.jpeg({ quality: 82, mozjpeg: true }) },
  'image/png': { extension: 'png', encode: (image) => image.png({ compressionLevel: 9 }) },
  'image/gif': { extension: 'gif', encode: (image) => image.gif() },
  [WEBP]: { extension: 'webp', encode: (image) => image.webp({ quality: 80 }) },
};

/** `abc.jpg`, 480, `image/webp` → `abc-480.webp`: beside the original, so the uploads folder serves it as it is. */
const variantName = (fileName: string, width: number, mime: string) =>
  `${fileName.replace(/\.[^.]*$/, '')}-${width}.${ENCODERS[mime].extension}`;

/**
 * Measures the upload `fileName` (already cleaned, in `dir`) and writes its smaller copies beside it: each width of
 * VARIANT_WIDTHS narrower than the original, in WebP and in the original's format, plus a WebP at the original's
 * own width when that is not wider than the widest copy, so WebP candidates reach as far as the original ones.
 * An image no wider than the narrowest width, and an animated PNG (which sharp reads as one frame), get none.
 */
export async function makeVariants(dir: string, fileName: string, mime: string): Promise<MediaSizes> {
  const { default: sharp } = await import('sharp');
  const bytes = await fs.readFile(path.join(dir, fileName));
  const open = () => sharp(bytes, { animated: true, limitInputPixels: MAX_PIXELS });
  const meta = await open().metadata();
  const width = meta.width ?? 0;
  // An animation's height is its frames stacked; a frame's is what a page shows.
  const height = meta.pageHeight ?? meta.height ?? 0;
  const animatedPng = mime === 'image/png' && (keepDrawnChunks(bytes)?.frames ?? 1) > 1;
  const widths = VARIANT_WIDTHS.filter((w) => w < width);
  if (!width || !height || animatedPng || !ENCODERS[mime] || widths.length === 0) return { width, height, variants: [] };

  const wanted = widths.map((w) => ({ width: w, mime: WEBP }));
  if (mime !== WEBP) {
    if (width <= WIDEST) wanted.push({ width, mime: WEBP });
    wanted.push(...widths.map((w) => ({ width: w, mime })));
  }
  const variants: MediaVariant[] = [];
  try {
    // One at a time: a large photo decoded several times at once would multiply the memory it takes.
    for (const want of wanted) {
      const resized = want.width === width ? open() : open().resize({ width: want.width });
      const data = await ENCODERS[want.mime].encode(resized).toBuffer();
      const variant = { fileName: variantName(fileName, want.width, want.mime), mime: want.mime, width: want.width,
        height: Math.max(1, Math.round((height * want.width) / width)), size: data.length };
      // Same name each time for the same upload: a measuring interrupted at start-up writes it again.
      await fs.writeFile(path.join(dir, variant.fileName), data, { mode: 0o600 });
      variants.push(variant);
    }
  } catch (err) {
    await removeVariants(dir, variants.map((v) => v.fileName));
    throw err;
  }
  return { width, height, variants };
}

/** Removes copies; one already gone is not an error. */
export const removeVariants = (dir: string, fileNames: string[]) =>
  Promise.all(fileNames.map((name) => fs.rm(path.join(dir, name), { force: true })));
