import type { Sharp } from 'sharp';
import { keepDrawnChunks } from './png-chunks.js';

/** All frames counted: above any camera's photo, far below what would exhaust the server's memory to decode. */
export const MAX_PIXELS = 50_000_000;

export type CleaningRefusal = 'too-large-dimensions' | 'not-an-image';

/** Each accepted type re-encoded in its own format. sharp writes no EXIF, XMP or comments unless asked to. */
const ENCODERS: Record<string, (image: Sharp, bytes: Buffer) => Sharp> = {
  'image/jpeg': (image) => image.jpeg({ quality: 90 }),
  'image/png': (image) => image.png(),
  'image/gif': (image) => image.gif(),
  // A lossless WebP (its bitstream is a VP8L chunk) stays lossless.
  'image/webp': (image, bytes) => image.webp(bytes.includes('VP8L') ? { lossless: true } : { quality: 90 }),
};

/**
 * The bytes to publish for an upload of type `mime` (as its bytes show it): re-encoded without metadata,
 * turned as its EXIF orientation said, animations kept. Animated PNGs, which sharp reads as one frame,
 * keep their bytes minus their metadata chunks.
 */
export async function cleanImage(bytes: Buffer, mime: string): Promise<Buffer | CleaningRefusal> {
  // Loaded on the first upload, not at start-up: readers never need it.
  const { default: sharp } = await import('sharp');
  try {
    // The header alone, so a decompression bomb is named before anything is decoded.
    const { width = 0, height = 0, pages = 1 } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (mime === 'image/apng') {
      const png = keepDrawnChunks(bytes);
      if (!png) return 'not-an-image';
      return width * height * png.frames > MAX_PIXELS ? 'too-large-dimensions' : png.bytes;
    }
    const encode = ENCODERS[mime];
    if (!encode) return 'not-an-image';
    if (width * height * pages > MAX_PIXELS) return 'too-large-dimensions';
    const image = sharp(bytes, { animated: true, limitInputPixels: MAX_PIXELS }).rotate().keepIccProfile();
    return await encode(image, bytes).toBuffer();
  } catch {
    // sharp throws for any image it cannot decode whole (truncated, corrupt): not an image we can publish.
    return 'not-an-image';
  }
}
