/**
 * An animated PNG, which sharp can only read as its first frame, kept animated by keeping its bytes but
 * dropping every chunk a browser does not need to draw it: text (tEXt, zTXt, iTXt), EXIF (eXIf), time and
 * private chunks. One pass over the chunk list, linear in the file.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DRAWN = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'acTL', 'fcTL', 'fdAT']);
/** Length, type, CRC: the bytes around each chunk's data. */
const FRAMING = 12;

export interface CleanPng {
  bytes: Buffer;
  /** The frame count acTL declares (1 without one), for the pixel cap. */
  frames: number;
}

/** The PNG with only its drawn chunks, or null when the chunk list is cut short or does not end. */
export function keepDrawnChunks(png: Buffer): CleanPng | null {
  if (!png.subarray(0, SIGNATURE.length).equals(SIGNATURE)) return null;
  const kept: Buffer[] = [SIGNATURE];
  let frames = 1;
  for (let at = SIGNATURE.length; at + FRAMING <= png.length; ) {
    const end = at + FRAMING + png.readUInt32BE(at);
    if (end > png.length) return null;
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'acTL' && end - at >= FRAMING + 4) frames = Math.max(1, png.readUInt32BE(at + 8));
    if (DRAWN.has(type)) kept.push(png.subarray(at, end));
    if (type === 'IEND') return { bytes: Buffer.concat(kept), frames };
    at = end;
  }
  return null;
}
