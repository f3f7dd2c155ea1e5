import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const image = (name: string) => path.join(projectRoot, 'public/images', name);
const pixels = (input: Sharp) => input.ensureAlpha().raw().toBuffer();

describe('public/images/avatar.png (the blog actor’s icon on the Fediverse)', () => {
  it('is avatar.svg drawn at 400×400, so the two never tell different pictures', async () => {
    expect(await sharp(image('avatar.png')).metadata()).toMatchObject({ format: 'png', width: 400, height: 400 });
    const drawn = await pixels(sharp(image('avatar.svg'), { density: 720 }).resize(400, 400));
    const kept = await pixels(sharp(image('avatar.png')));
    expect(kept.length).toBe(drawn.length);
    // The PNG's palette rounds the anti-aliased edges a little; another picture differs everywhere.
    let difference = 0;
    for (let i = 0; i < kept.length; i++) difference += Math.abs(kept[i] - drawn[i]);
    expect(difference / kept.length).toBeLessThan(1);
  });
});
