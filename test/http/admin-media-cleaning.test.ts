import request from 'supertest';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { mediaChecks, upload } from '../support/admin-media.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import {
  animation, ANIMATION_SECRET, APNG_FRAME_BOMB, chunkTypes, hasGpsTag, phoneJpeg, PNG_BOMB, PNG_TEXT_SECRET, TWO_FRAME_APNG,
} from '../fixtures/crafted-images.js';

let t: TestApp;
afterEach(() => t?.close());
const { rows, expectNothingStored } = mediaChecks(() => t);

/** Uploads one image as the administrator and returns the bytes the blog then serves for it. */
async function uploadAndFetch(bytes: Buffer, name: string, contentType: string) {
  t = makeTestApp();
  const { agent, csrf } = await adminAgent(t);
  expect((await upload(agent, csrf, bytes, name, contentType)).status).toBe(303);
  const served = await request(t.app).get(`/uploads/${rows()[0].fileName}`);
  expect(served.status).toBe(200);
  return served.body as Buffer;
}

/** The colour of one pixel, as [r, g, b]. */
const pixel = async (image: Buffer, left: number, top: number) =>
  [...(await sharp(image).extract({ left, top, width: 1, height: 1 }).removeAlpha().raw().toBuffer())];

describe('POST /admin/media/ cleaning the published image', () => {
  it('publishes a phone photo without its EXIF, GPS position or XMP, turned the way the phone held it', async () => {
    const photo = await phoneJpeg();
    const original = await sharp(photo).metadata();
    expect(hasGpsTag(original.exif!)).toBe(true);
    expect(original.xmp?.toString()).toContain('GPSLatitude');
    expect(original).toMatchObject({ width: 40, height: 20, orientation: 6 });

    const served = await uploadAndFetch(photo, 'holiday.jpg', 'image/jpeg');
    const published = await sharp(served).metadata();
    expect(published).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(published.exif).toBeUndefined();
    expect(published.xmp).toBeUndefined();
    expect(published.orientation).toBeUndefined();
    expect(served.includes('PhoneMaker')).toBe(false);
    // Turned clockwise: the red left half is now on top, the blue right half below.
    const [r, , b] = await pixel(served, 10, 5);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
    const [r2, , b2] = await pixel(served, 10, 35);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it('keeps an animated GIF animated, with its frames, timing and loop count, and drops its comment', async () => {
    const gif = await animation('gif');
    expect(gif.includes(ANIMATION_SECRET)).toBe(true);
    const served = await uploadAndFetch(gif, 'dance.gif', 'image/gif');
    expect(await sharp(served, { animated: true }).metadata()).toMatchObject({ format: 'gif', pages: 2, pageHeight: 10, delay: [100, 200], loop: 3 });
    expect(served.includes(ANIMATION_SECRET)).toBe(false);
  });

  it('keeps an animated WebP animated, with its frames, timing and loop count, and drops its EXIF and XMP', async () => {
    const webp = await animation('webp');
    expect(await sharp(webp).metadata()).toMatchObject({ exif: expect.any(Buffer), xmp: expect.any(Buffer) });
    const served = await uploadAndFetch(webp, 'dance.webp', 'image/webp');
    const published = await sharp(served, { animated: true }).metadata();
    expect(published).toMatchObject({ format: 'webp', pages: 2, pageHeight: 10, delay: [100, 200], loop: 3 });
    expect(published.exif).toBeUndefined();
    expect(published.xmp).toBeUndefined();
    expect(served.includes(ANIMATION_SECRET)).toBe(false);
  });

  it('keeps an animated PNG animated but drops its text and EXIF chunks', async () => {
    expect(TWO_FRAME_APNG.includes(PNG_TEXT_SECRET)).toBe(true);
    const served = await uploadAndFetch(TWO_FRAME_APNG, 'spinner.png', 'image/png');
    expect(chunkTypes(served)).toEqual(['IHDR', 'acTL', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'IEND']);
    expect(served.includes(PNG_TEXT_SECRET)).toBe(false);
  });

  it('refuses a small PNG that declares 30000×30000 pixels, naming the limit, and stores nothing', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, PNG_BOMB, 'bomb.png');
    expect(res.status).toBe(422);
    expect(res.text).toContain('The image has too many pixels: images may be up to 50 megapixels');
    expect(res.text).toContain('name="file"');
    expectNothingStored();
  });

  it('refuses an animated PNG whose frames together are too many pixels', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, APNG_FRAME_BOMB, 'frames.png');
    expect(res.status).toBe(422);
    expect(res.text).toContain('too many pixels');
    expectNothingStored();
  });

  it('says the refusal in Indonesian on an Indonesian site', async () => {
    t = makeTestApp();
    t.services.settings.update({ language: 'id' });
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, PNG_BOMB, 'bom.png');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Gambar ini terlalu banyak pikselnya: gambar paling besar 50 megapiksel');
    expectNothingStored();
  });

  it('refuses a JPEG cut short, which it could not re-encode, and stores nothing', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const photo = await phoneJpeg();
    const res = await upload(agent, csrf, photo.subarray(0, Math.floor(photo.length * 0.6)), 'broken.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.text).toContain('not an image we accept');
    expectNothingStored();
  });
});

describe('GET /uploads/<file>', () => {
  it('lets other sites and feed readers embed the image, while pages stay same-origin', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    await upload(agent, csrf, await phoneJpeg(), 'a.jpg', 'image/jpeg');
    const image = await request(t.app).get(`/uploads/${rows()[0].fileName}`);
    expect(image.status).toBe(200);
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    const home = await request(t.app).get('/');
    expect(home.headers['cross-origin-resource-policy']).toBe('same-origin');
    const missing = await request(t.app).get('/uploads/0123456789abcdef0123456789abcdef.png');
    expect(missing.status).toBe(404);
    expect(missing.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});
