/**
 * Files the kiosk must refuse, each with a typed error a person can act on, while the process
 * (and the face worker) keeps working.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../main/capture/capture-service.js';
import { CaptureError } from '../../main/capture/capture-error.js';
import type { PixelImage } from '../../main/capture/types.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { faceFile, framedFace, type DemoFace } from '../helpers/faces.js';
import {
  animatedWebp,
  heicLike,
  pngBomb,
  randomBytes,
  rawSharp,
  scratchDir,
  svgFile,
  textFile,
  truncated,
} from './test-files.js';

const FACE: DemoFace = { photo: 6, index: 3 };
const PROFILE = VENDOR_PROFILES['kairos-liveness-v0.2'];

let capture: CaptureService;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let face: PixelImage;

beforeAll(async () => {
  capture = new CaptureService();
  scratch = await scratchDir();
  face = await framedFace(FACE, { width: 1280, height: 960 });
  await capture.start();
});

afterAll(async () => {
  await capture.close();
  await scratch.remove();
});

async function refusal(input: string | Buffer): Promise<CaptureError> {
  const error: unknown = await capture.prepareFile(input, PROFILE, 'selfie').then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptureError);
  const captureError = error as CaptureError;
  expect(captureError.retryable).toBe(false);
  expect(captureError.toJSON()).toEqual({
    code: captureError.code,
    message: captureError.message,
    retryable: false,
  });
  return captureError;
}

describe('files the kiosk refuses', () => {
  it('refuses an empty file', async () => {
    const file = await scratch.write('empty.jpg', Buffer.alloc(0));
    const error = await refusal(file);
    expect(error.code).toBe('empty-file');
    expect(error.message).toMatch(/empty/);
  });

  it('refuses a truncated JPEG as incomplete', async () => {
    const jpeg = await rawSharp(face).jpeg().toBuffer();
    const error = await refusal(truncated(jpeg));
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/incomplete.*again/);
  });

  it('refuses a truncated PNG as incomplete', async () => {
    const png = await rawSharp(face).png().toBuffer();
    expect((await refusal(truncated(png))).code).toBe('truncated');
  });

  it('names cut-short files truncated even when many are opened at once', async () => {
    // libvips keeps one error buffer for all threads: under load the message of one failure
    // can be another's, so the kiosk decides on the bytes (missing end marker), not the words.
    const png = truncated(await rawSharp(face).png().toBuffer());
    const jpeg = truncated(await rawSharp(face).jpeg().toBuffer());
    const errors = await Promise.all(
      Array.from({ length: 24 }, (_, i) => refusal(i % 2 === 0 ? png : jpeg)),
    );
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['truncated']));
  });

  it('refuses a text file named .jpg as not an image', async () => {
    const file = await scratch.write('passport.jpg', textFile());
    const error = await refusal(file);
    expect(error.code).toBe('not-an-image');
    expect(error.message).toMatch(/contains text.*JPEG or PNG/);
  });

  it('refuses random bytes named .jpg as not an image', async () => {
    const file = await scratch.write('scan.jpg', randomBytes());
    const error = await refusal(file);
    expect(error.code).toBe('not-an-image');
    expect(error.message).toMatch(/unknown data/);
  });

  it('refuses a 30000x30000 PNG bomb of a few KB before decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(100 * 1024);
    const started = performance.now();
    const error = await refusal(bomb);
    expect(error.code).toBe('too-many-pixels');
    expect(error.message).toContain('30000x30000');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['GIF', () => rawSharp(face).resize(200).gif().toBuffer()],
    ['animated WebP', () => animatedWebp(face)],
    ['HEIC', () => Promise.resolve(heicLike())],
    ['AVIF', () => rawSharp(face).resize(200).avif().toBuffer()],
    ['TIFF', () => rawSharp(face).resize(200).tiff().toBuffer()],
    ['SVG', () => Promise.resolve(svgFile())],
  ])('refuses %s as unsupported, naming the format', async (name, make) => {
    const file = await scratch.write(`photo-${name.replace(' ', '-')}.jpg`, await make());
    const error = await refusal(file);
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toBe(
      `${name} images are not accepted. Save the photo as JPEG or PNG and try again.`,
    );
  });

  it('lets no decoder but JPEG and PNG run at all once capture has started', async () => {
    // Behind the format sniffing, libvips itself refuses: a GIF or TIFF handed straight to
    // sharp does not decode in this process any more.
    const gif = await rawSharp(face).resize(64).gif().toBuffer();
    const tiff = await rawSharp(face).resize(64).tiff().toBuffer();
    await expect(sharp(gif).metadata()).rejects.toThrow(/unsupported image format/);
    await expect(sharp(tiff).metadata()).rejects.toThrow(/unsupported image format/);
    const png = await rawSharp(face).resize(64).png().toBuffer();
    expect((await sharp(png).metadata()).format).toBe('png');
  });

  it('refuses a file that is not there', async () => {
    const error = await refusal(`${scratch.dir}/missing.jpg`);
    expect(error.code).toBe('file-unreadable');
    expect(error.message).toContain('ENOENT');
  });

  it('refuses a JPEG with a corrupt segment (decoder warnings are errors)', async () => {
    const jpeg = await rawSharp(face).jpeg().toBuffer();
    // Overwrite a stretch of entropy-coded data in the middle with marker-like bytes.
    const corrupt = Buffer.from(jpeg);
    corrupt.fill(0xff, Math.floor(corrupt.length * 0.5), Math.floor(corrupt.length * 0.5) + 64);
    const error = await refusal(corrupt);
    expect(['corrupt-image', 'truncated']).toContain(error.code);
  });

  it('still prepares a good photo after every bad one', async () => {
    const prepared = await capture.prepareFile(
      await faceFile(FACE, { width: 1280, height: 960 }),
      PROFILE,
      'selfie',
    );
    expect(prepared.quality.verdict).toBe('ok');
    expect((await sharp(prepared.bytes).metadata()).format).toBe('jpeg');
  });
});
