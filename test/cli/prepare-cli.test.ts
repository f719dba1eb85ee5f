/**
 * `kiosk-verify prepare` as support runs it on files from a scanner folder or a customer's
 * phone: the face-api demo faces go through; every bad input of the capture issue is refused
 * with its typed error and exit code 3; odd-but-valid files are converted.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PixelImage } from '../../main/capture/types.js';
import { CLEAR_FACES, demoPhoto, framedFace } from '../helpers/faces.js';
import { makeJpeg } from '../helpers/images.js';
import {
  animatedWebp,
  exifRotatedJpeg,
  heicLike,
  pngBomb,
  randomBytes,
  rawSharp,
  scratchDir,
  svgFile,
  textFile,
  truncated,
} from '../capture/test-files.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/kiosk-verify.js');
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let face: PixelImage;

async function prepare(
  file: string,
  vendor = 'kairos-v0.2',
  extra: string[] = [],
): Promise<{ code: number; out: unknown }> {
  try {
    const { stdout } = await run(process.execPath, [
      bin,
      'prepare',
      file,
      '--vendor',
      vendor,
      ...extra,
    ]);
    return { code: 0, out: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, out: JSON.parse(failed.stderr) };
  }
}

beforeAll(async () => {
  scratch = await scratchDir();
  face = await framedFace(CLEAR_FACES[3]!, { width: 1280, height: 960 });
});
afterAll(() => scratch.remove());

describe('kiosk-verify prepare', () => {
  // Sixteen CLI processes, each loading and warming up the face detector: about 2 s apiece on
  // an idle 2-core machine, several times that while the other suites run beside it.
  it('prepares each clear face of the demo photos for every vendor', async () => {
    for (const [i, demoFace] of CLEAR_FACES.slice(0, 4).entries()) {
      const file = await scratch.write(
        `face-${i}.jpg`,
        await rawSharp(await framedFace(demoFace, { width: 1280, height: 960 }))
          .jpeg()
          .toBuffer(),
      );
      for (const vendor of ['kairos-v0.1', 'kairos-v0.2', 'kairos-biometric', 'biometric-kz']) {
        const { code, out } = await prepare(file, vendor);
        expect(code, `${file} for ${vendor}`).toBe(0);
        expect(out).toMatchObject({ contentType: 'image/jpeg', quality: { verdict: 'ok' } });
      }
    }
  }, 240_000);

  // A scanned ID portrait or a card held close: before the detector ran at two scales, a
  // portrait over about half the picture was "No portrait found" (it passed as a selfie).
  it('prepares an ID portrait from 0.11 of the picture to a tight crop as --role id-photo', async () => {
    const results: Record<string, unknown> = {};
    for (const share of [0.11, 0.2, 0.33, 0.5, 0.9]) {
      const portrait = await framedFace(CLEAR_FACES[3]!, {
        width: 1280,
        height: 960,
        faceShare: share,
        centerY: 0.5,
      });
      const file = await scratch.write(
        `portrait-${share}.jpg`,
        await rawSharp(portrait).jpeg({ quality: 92 }).toBuffer(),
      );
      const { code, out } = await prepare(file, 'kairos-biometric', ['--role', 'id-photo']);
      results[share] = code === 0 ? 'ok' : out;
    }
    expect(results).toEqual({ 0.11: 'ok', 0.2: 'ok', 0.33: 'ok', 0.5: 'ok', 0.9: 'ok' });
  }, 120_000);

  it('refuses a whole group photo as multiple faces', async () => {
    const file = await scratch.write('group.jpg', await demoPhoto(6));
    expect(await prepare(file)).toMatchObject({
      code: 3,
      out: { error: { code: 'multiple-faces' } },
    });
  });

  it.each([
    ['an empty file', 'empty.jpg', async () => Buffer.alloc(0), 'empty-file'],
    [
      'a truncated JPEG',
      'cut.jpg',
      async () => truncated(await rawSharp(face).jpeg().toBuffer()),
      'truncated',
    ],
    ['text named .jpg', 'notes.jpg', async () => textFile(), 'not-an-image'],
    ['random bytes named .jpg', 'noise.jpg', async () => randomBytes(), 'not-an-image'],
    ['a 30000x30000 PNG bomb', 'bomb.png', async () => pngBomb(), 'too-many-pixels'],
    [
      'a GIF',
      'photo.gif',
      async () => rawSharp(face).resize(400).gif().toBuffer(),
      'unsupported-format',
    ],
    ['an animated WebP', 'photo.webp', async () => animatedWebp(face), 'unsupported-format'],
    ['a HEIC photo', 'photo.heic', async () => heicLike(), 'unsupported-format'],
    [
      'a TIFF',
      'photo.tiff',
      async () => rawSharp(face).resize(400).tiff().toBuffer(),
      'unsupported-format',
    ],
    ['an SVG', 'photo.svg', async () => svgFile(), 'unsupported-format'],
    [
      'a photo below the vendor minimum',
      'small.jpg',
      async () =>
        rawSharp(await framedFace(CLEAR_FACES[3]!, { width: 280, height: 210 }))
          .jpeg()
          .toBuffer(),
      'below-minimum',
    ],
    ['a picture without a face', 'wall.jpg', async () => makeJpeg(1280, 960, 4), 'no-face'],
  ] as const)('refuses %s with exit 3 and its code', async (_what, name, make, code) => {
    const file = await scratch.write(name, await make());
    const { code: exit, out } = await prepare(file);
    expect(exit).toBe(3);
    expect(out).toMatchObject({ error: { code, retryable: false } });
    expect((out as { error: { message: string } }).error.message.length).toBeGreaterThan(20);
  });

  it.each([
    ['a CMYK JPEG', async () => rawSharp(face).toColourspace('cmyk').jpeg().toBuffer()],
    ['a 16-bit PNG', async () => rawSharp(face).toColourspace('rgb16').png().toBuffer()],
    ['a greyscale PNG', async () => rawSharp(face).toColourspace('b-w').png().toBuffer()],
  ] as const)('accepts %s and converts it to 8-bit sRGB', async (_what, make) => {
    const file = await scratch.write(`convert-${Math.random()}.img`, await make());
    const { code, out } = await prepare(file);
    expect(code).toBe(0);
    expect(out).toMatchObject({ quality: { verdict: 'ok' } });
  });

  it('turns an EXIF-rotated photo upright and downscales one over 5000 px', async () => {
    const portrait = await framedFace(CLEAR_FACES[3]!, { width: 900, height: 1200 });
    const rotated = await prepare(
      await scratch.write('rotated.jpg', await exifRotatedJpeg(portrait)),
      'kairos-v0.1',
    );
    expect(rotated).toMatchObject({ code: 0, out: { width: 900, height: 1200 } });

    const huge = await rawSharp(await framedFace(CLEAR_FACES[3]!, { width: 5600, height: 3150 }))
      .jpeg()
      .toBuffer();
    const out = join(scratch.dir, 'huge-prepared.jpg');
    await run(process.execPath, [
      bin,
      'prepare',
      await scratch.write('huge.jpg', huge),
      '--vendor',
      'biometric-kz',
      '--out',
      out,
    ]);
    expect(await sharp(out).metadata()).toMatchObject({ width: 1280, height: 720, format: 'jpeg' });
  });
});
