/**
 * Files that should go through: odd colour spaces and bit depths converted, rotation applied,
 * metadata stripped, sizes fitted to each vendor, ID photos held to the camera.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../main/capture/capture-service.js';
import { CaptureError } from '../../main/capture/capture-error.js';
import type { PixelImage, PreparedCapture } from '../../main/capture/types.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { demoPhoto, framedFace, type DemoFace } from '../helpers/faces.js';
import { idCardFrame } from './id-card.js';
import { exifRotatedJpeg, jpegWithPrivateMetadata, rawSharp } from './test-files.js';

const FACE: DemoFace = { photo: 6, index: 3 };
const KAIROS_V01 = VENDOR_PROFILES['kairos-liveness-v0.1'];
const KAIROS_V02 = VENDOR_PROFILES['kairos-liveness-v0.2'];
const BIOMETRIC = VENDOR_PROFILES['kairos-biometric-v0.1'];

let capture: CaptureService;
let face: PixelImage;

beforeAll(async () => {
  capture = new CaptureService();
  face = await framedFace(FACE, { width: 1600, height: 1200 });
  await capture.start();
});

afterAll(() => capture.close());

/** What a vendor would see in the JPEG. */
async function sent(prepared: PreparedCapture) {
  return sharp(prepared.bytes).metadata();
}

async function refusal(promise: Promise<unknown>): Promise<CaptureError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptureError);
  return error as CaptureError;
}

describe('preparing a selfie file', () => {
  it('makes an upright 8-bit sRGB JPEG at the vendor target, keeping the whole frame', async () => {
    const prepared = await capture.prepareFile(
      await rawSharp(face).png().toBuffer(),
      KAIROS_V01,
      'selfie',
    );
    const meta = await sent(prepared);
    expect(meta).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, depth: 'uchar' });
    expect([prepared.width, prepared.height]).toEqual([1280, 960]); // 4:3 kept, long side 1280
    expect([meta.width, meta.height]).toEqual([1280, 960]);
    expect(prepared).toMatchObject({
      contentType: 'image/jpeg',
      api: 'kairos-liveness-v0.1',
      role: 'selfie',
      byteSize: prepared.bytes.byteLength,
      sha256: createHash('sha256').update(prepared.bytes).digest('hex'),
      source: { kind: 'file', format: 'png', width: 1600, height: 1200 },
    });
    expect(prepared.fileName).toMatch(/^selfie-[0-9a-f]{12}\.jpg$/);
    expect(prepared.quality.verdict).toBe('ok');
    expect(prepared.quality.faces).toHaveLength(1);
    // Boxes are reported in the prepared image's pixels.
    expect(prepared.quality.faces[0]!.x + prepared.quality.faces[0]!.width).toBeLessThan(1280);
  });

  it('strips camera make, serial number and GPS position', async () => {
    const jpeg = await jpegWithPrivateMetadata(face);
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const meta = await sent(await capture.prepareFile(jpeg, KAIROS_V01, 'selfie'));
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('accepts a CMYK JPEG and sends it as sRGB', async () => {
    const cmyk = await rawSharp(face).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const prepared = await capture.prepareFile(cmyk, KAIROS_V01, 'selfie');
    expect(await sent(prepared)).toMatchObject({ space: 'srgb', channels: 3 });
    expect(prepared.quality.verdict).toBe('ok');
  });

  it('accepts a 16-bit PNG and sends 8 bits per channel', async () => {
    const deep = await rawSharp(face).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const prepared = await capture.prepareFile(deep, KAIROS_V01, 'selfie');
    expect(await sent(prepared)).toMatchObject({ depth: 'uchar', space: 'srgb', channels: 3 });
  });

  it('accepts a greyscale PNG and sends three-channel sRGB', async () => {
    const grey = await rawSharp(face).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const prepared = await capture.prepareFile(grey, KAIROS_V01, 'selfie');
    expect(await sent(prepared)).toMatchObject({ space: 'srgb', channels: 3 });
    expect(prepared.quality.verdict).toBe('ok');
  });

  it('turns an EXIF-rotated phone photo upright', async () => {
    const portrait = await framedFace(FACE, { width: 900, height: 1200 });
    const sideways = await exifRotatedJpeg(portrait);
    const stored = await sharp(sideways).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([1200, 900, 6]);
    const prepared = await capture.prepareFile(sideways, KAIROS_V01, 'selfie');
    expect([prepared.width, prepared.height]).toEqual([900, 1200]);
    // The detector only finds upright faces: finding one proves the rotation was applied.
    expect(prepared.quality.verdict).toBe('ok');
    expect((await sent(prepared)).orientation).toBeUndefined();
  });

  it('downscales a photo over 5000 px to each vendor target', async () => {
    const huge = await rawSharp(await framedFace(FACE, { width: 5600, height: 3150 }))
      .jpeg({ quality: 90 })
      .toBuffer();
    const v02 = await capture.prepareFile(huge, KAIROS_V02, 'selfie');
    // Kairos v0.2 recommends over 900 px on the short side: 1600x900 for 16:9.
    expect([v02.width, v02.height]).toEqual([1600, 900]);
    const biometric = await capture.prepareFile(huge, BIOMETRIC, 'selfie');
    expect([biometric.width, biometric.height]).toEqual([1280, 720]);
    expect([(await sent(biometric)).width, (await sent(biometric)).height]).toEqual([1280, 720]);
  });

  it('refuses a photo below the vendor minimum, naming the vendor and the minimum', async () => {
    const small = await rawSharp(face).resize(640, 360, { fit: 'fill' }).jpeg().toBuffer();
    const error = await refusal(capture.prepareFile(small, BIOMETRIC, 'selfie'));
    expect(error.code).toBe('below-minimum');
    expect(error.message).toContain(
      'The image is 640x360; Kairos biometric needs at least 480x480',
    );
  });

  it('refuses a group photo as multiple-faces, with the faces it found', async () => {
    const error = await refusal(capture.prepareFile(await demoPhoto(6), KAIROS_V01, 'selfie'));
    expect(error.code).toBe('multiple-faces');
    expect(error.report!.faces.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a photo without a face', async () => {
    const wall = await sharp({
      create: { width: 1200, height: 900, channels: 3, background: { r: 180, g: 170, b: 150 } },
    })
      .jpeg()
      .toBuffer();
    const error = await refusal(capture.prepareFile(wall, KAIROS_V01, 'selfie'));
    expect(error.code).toBe('no-face');
    expect(error.message).toMatch(/^This image cannot be used: No face found/);
  });
});

describe('preparing an ID photo', () => {
  it('prepares an ID card held to the camera for the face match', async () => {
    const card = await idCardFrame(FACE, { width: 1280, height: 720, cardShare: 0.8 });
    const prepared = await capture.prepareFile(
      await rawSharp(card).png().toBuffer(),
      BIOMETRIC,
      'id-photo',
    );
    expect(prepared.role).toBe('id-photo');
    expect(prepared.quality.verdict).toBe('ok');
    expect(prepared.fileName).toMatch(/^id-photo-/);
    expect(Math.min(prepared.width, prepared.height)).toBeGreaterThanOrEqual(480);
  });

  it('keeps the portrait at least 160 px wide when the card is small in a large scan', async () => {
    const scan = await idCardFrame(FACE, { width: 3000, height: 2000, cardShare: 0.5 });
    const prepared = await capture.prepareFile(
      await rawSharp(scan).jpeg().toBuffer(),
      BIOMETRIC,
      'id-photo',
    );
    // The 1280 px target would shrink the portrait to ~120 px; the face rule keeps ~160.
    expect(prepared.width).toBeGreaterThan(1280);
    expect(prepared.width).toBeLessThan(3000);
    expect(prepared.quality.mainFace!.box.width).toBeGreaterThan(150);
  });

  it('refuses an ID card with glare across the portrait', async () => {
    const card = await idCardFrame(FACE, { width: 1280, height: 720, cardShare: 0.6, glare: true });
    const error = await refusal(
      capture.prepareFile(await rawSharp(card).png().toBuffer(), BIOMETRIC, 'id-photo'),
    );
    expect(error.code).toBe('too-bright');
    expect(error.message).toMatch(/Glare covers the portrait/);
  });

  it('refuses an ID photo for an API that takes none', async () => {
    const card = await idCardFrame(FACE, { width: 1280, height: 720 });
    const error = await refusal(
      capture.prepareFile(await rawSharp(card).png().toBuffer(), KAIROS_V02, 'id-photo'),
    );
    expect(error.code).toBe('role-not-accepted');
    expect(error.message).toBe(
      'Kairos liveness v0.2 takes no ID photo. Use Kairos biometric for a face match.',
    );
  });
});
