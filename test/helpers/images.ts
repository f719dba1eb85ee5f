/** Synthetic test images made at test time (no photos of people in the repo). */
import sharp from 'sharp';
import type { PreparedImage } from '../../model/request.js';

/** A JPEG of the given size with structure (gradients + noise), distinct per `seed`. */
export async function makeJpeg(width: number, height: number, seed = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      state = (state * 1103515245 + 12345) >>> 0;
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = state >>> 24;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function makePreparedJpeg(
  width: number,
  height: number,
  seed = 1,
  fileName = 'selfie.jpg',
): Promise<PreparedImage> {
  return { bytes: await makeJpeg(width, height, seed), fileName, contentType: 'image/jpeg' };
}
