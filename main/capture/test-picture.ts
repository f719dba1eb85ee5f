/**
 * The staff console's built-in test picture for "Test connection": a 640x480 JPEG of a soft
 * grey gradient with no face in it (no photo of a person ships with the app). A vendor that
 * looks at it refuses it for want of a face, which proves the address and the credentials.
 */
import sharp from 'sharp';
import type { PreparedImage } from '../../model/request.js';

let made: Promise<PreparedImage> | null = null;

export function connectionTestPicture(): Promise<PreparedImage> {
  made ??= (async () => {
    const width = 640;
    const height = 480;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const at = (y * width + x) * 3;
        const value = 90 + Math.round((x / width) * 80 + (y / height) * 40);
        pixels[at] = value;
        pixels[at + 1] = value;
        pixels[at + 2] = value + 10;
      }
    }
    const bytes = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    return {
      bytes: new Uint8Array(bytes),
      fileName: 'connection-test.jpg',
      contentType: 'image/jpeg',
    };
  })();
  return made;
}
