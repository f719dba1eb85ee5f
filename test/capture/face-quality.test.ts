/**
 * The face quality measures (ISO/IEC 29794-5's components, OFIQ's names; not a conformance
 * claim) on real faces cut from the demo photos and synthetic variants of them made here with
 * sharp: the face mesh and iris models run in the real face worker, nothing mocked.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureError } from '../../main/capture/capture-error.js';
import { CaptureService } from '../../main/capture/capture-service.js';
import type { FaceQualityMeasures, FrameAnalysis, PixelImage } from '../../main/capture/types.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { DEFAULT_QUALITY_SETTINGS } from '../../model/quality-settings.js';
import { framedFace, toRgbaFrame, type DemoFace } from '../helpers/faces.js';
import { blurred, mirrored, rotated, shadedLeft } from './face-variants.js';

const GUIDANCE = { width: 320, height: 240, faceShare: 0.4 };
const HD = { width: 1280, height: 720, faceShare: 0.35 };
const face = (photo: DemoFace['photo'], index: number): DemoFace => ({ photo, index });

let capture: CaptureService;

beforeAll(async () => {
  capture = new CaptureService();
  await capture.start();
});

afterAll(() => capture.close());

async function analyze(image: PixelImage): Promise<FrameAnalysis> {
  capture.resetSteadiness();
  return capture.analyzeFrame(toRgbaFrame(image));
}

/** The measures of a live frame; fails the test when the mesh did not run. */
async function measured(image: PixelImage): Promise<FaceQualityMeasures> {
  const analysis = await analyze(image);
  expect(analysis.measures, `verdict ${analysis.verdict}`).not.toBeNull();
  expect(analysis.measures!.meshScore, `verdict ${analysis.verdict}`).not.toBeNull();
  return analysis.measures!;
}

async function jpegOf(image: PixelImage): Promise<Buffer> {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .jpeg({ quality: 92 })
    .toBuffer();
}

describe('head pose from the face mesh', () => {
  // Faces looking about straight into the camera: a rotation of the picture is all their roll.
  const UPRIGHT = [face(5, 3), face(6, 0), face(6, 2), face(6, 3)];

  it('reads roll within 4 degrees of a rotation of 10 and 15 degrees either way', async () => {
    for (const demo of UPRIGHT) {
      const upright = await framedFace(demo, GUIDANCE);
      const before = (await measured(upright)).roll!;
      for (const degrees of [10, -10, 15, -15]) {
        const after = (await measured(await rotated(upright, degrees))).roll!;
        expect(
          Math.abs(after - before - degrees),
          `photo ${demo.photo} face ${demo.index} turned ${degrees}: roll ${before} -> ${after}`,
        ).toBeLessThanOrEqual(4);
      }
    }
  });

  it('reads the yaw sign of the turned faces in the demo photos, and a mirror flips it', async () => {
    // Turned towards the picture's right (their left) and towards its left, by eye.
    const turned = [
      { demo: face(4, 2), sign: 1 },
      { demo: face(5, 1), sign: 1 },
      { demo: face(4, 0), sign: -1 },
      { demo: face(6, 3), sign: -1 },
    ];
    for (const { demo, sign } of turned) {
      const image = await framedFace(demo, GUIDANCE);
      const yaw = (await measured(image)).yaw!;
      const mirror = (await measured(await mirrored(image))).yaw!;
      const what = `photo ${demo.photo} face ${demo.index}: yaw ${yaw}, mirrored ${mirror}`;
      expect(Math.sign(yaw), what).toBe(sign);
      expect(Math.abs(yaw), what).toBeGreaterThan(12);
      expect(Math.sign(mirror), what).toBe(-sign);
      expect(Math.abs(mirror), what).toBeGreaterThan(12);
    }
  });

  it('asks to keep the head level past the roll setting, and judges by the setting in force', async () => {
    const tilted = await rotated(await framedFace(face(6, 2), GUIDANCE), 15);
    expect((await analyze(tilted)).verdict).not.toBe('head-level');
    capture.setQuality({ maxRollDegrees: 5 });
    try {
      expect(capture.quality.maxRollDegrees).toBe(5);
      expect((await analyze(tilted)).verdict).toBe('head-level');
    } finally {
      capture.setQuality({ maxRollDegrees: DEFAULT_QUALITY_SETTINGS.maxRollDegrees });
    }
  });

  it('asks to look straight past the yaw setting', async () => {
    const turned = await framedFace(face(4, 2), GUIDANCE);
    expect((await analyze(turned)).verdict).not.toBe('look-straight');
    capture.setQuality({ maxYawDegrees: 20 });
    try {
      expect((await analyze(turned)).verdict).toBe('look-straight');
    } finally {
      capture.setQuality({ maxYawDegrees: DEFAULT_QUALITY_SETTINGS.maxYawDegrees });
    }
  });
});

describe('illumination uniformity', () => {
  const EVENLY_LIT = [face(3, 0), face(4, 0), face(6, 1), face(6, 2), face(6, 3), face(5, 2)];

  it('fails a face with one side in shadow, while its evenly lit twin passes', async () => {
    const min = DEFAULT_QUALITY_SETTINGS.minIlluminationUniformity;
    for (const demo of EVENLY_LIT) {
      const even = await framedFace(demo, GUIDANCE);
      const twin = await analyze(even);
      const what = `photo ${demo.photo} face ${demo.index}`;
      expect(twin.measures!.illuminationUniformity!, what).toBeGreaterThanOrEqual(min);
      expect(twin.verdict, what).not.toBe('uneven-light');
      // The left half of the face (left of the mesh's centre) in a quarter of the light.
      const { marginLeft, marginRight } = twin.measures!;
      const centre = (marginLeft! + 1 - marginRight!) / 2;
      const shaded = await analyze(await shadedLeft(even, 0.25, centre - 0.03, centre + 0.01));
      expect(shaded.measures!.illuminationUniformity!, what).toBeLessThan(min);
      expect(shaded.verdict, what).toBe('uneven-light');
    }
  });
});

describe('sharpness and the eyes', () => {
  it('fails a blurred face on sharpness', async () => {
    const sharp = await framedFace(face(6, 2), GUIDANCE);
    const soft = await analyze(await blurred(sharp, 2));
    expect(soft.verdict).toBe('blurry');
    expect(soft.measures!.sharpness).toBeLessThan(capture.gates.selfie.minSharpness);
    expect((await analyze(sharp)).measures!.sharpness).toBeGreaterThanOrEqual(
      capture.gates.selfie.minSharpness,
    );
  });

  it('asks to open the eyes when they are closed, live and at the capture', async () => {
    // Demo photo 2's face has her eyes closed, looking down; photo 6's are open.
    const closed = await framedFace(face(2, 0), GUIDANCE);
    const live = await analyze(closed);
    expect(live.verdict).toBe('eyes-closed');
    expect(live.measures!.eyesOpen!).toBeLessThan(DEFAULT_QUALITY_SETTINGS.minEyesOpen);
    const open = await analyze(await framedFace(face(6, 2), GUIDANCE));
    expect(open.measures!.eyesOpen!).toBeGreaterThan(0.25);

    const frame = toRgbaFrame(await framedFace(face(2, 0), HD));
    const error = await capture
      .captureFrame(frame, VENDOR_PROFILES['kairos-liveness-v0.1'])
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).code).toBe('eyes-closed');
    expect((error as CaptureError).report!.measures!.eyesOpen!).toBeLessThan(0.1);
  });

  it('only reports closed eyes for a file: nobody is in front of the camera to ask', async () => {
    const file = await jpegOf(await framedFace(face(2, 0), HD));
    const prepared = await capture.prepareFile(
      file,
      VENDOR_PROFILES['kairos-liveness-v0.1'],
      'selfie',
    );
    expect(prepared.quality.verdict).toBe('ok');
    expect(prepared.quality.measures!.eyesOpen!).toBeLessThan(DEFAULT_QUALITY_SETTINGS.minEyesOpen);
  });
});

describe('the quality report of a capture', () => {
  it('reports every measure, with the inter-eye distance scaled to the vendor image', async () => {
    const frame = toRgbaFrame(await framedFace(face(6, 2), { ...HD, faceShare: 0.45 }));
    const prepared = await capture.captureFrame(frame, VENDOR_PROFILES['kairos-liveness-v0.1']);
    const m = prepared.quality.measures!;
    for (const value of [m.yaw, m.pitch, m.roll, m.eyesOpen, m.headSize, m.meshScore]) {
      expect(value).not.toBeNull();
    }
    expect(m.singleFace).toBe(true);
    expect(m.illuminationUniformity!).toBeGreaterThan(0.5);
    expect(m.underExposure!).toBeLessThan(0.1);
    expect(m.overExposure!).toBeLessThan(0.1);
    expect(m.marginLeft!).toBeGreaterThan(0);
    expect(m.marginTop!).toBeGreaterThan(0);
    // The irises are ~a third of the face box apart, in the prepared image's pixels.
    const faceWidth = prepared.quality.mainFace!.box.width;
    expect(m.interEyeDistance!).toBeGreaterThan(faceWidth * 0.25);
    expect(m.interEyeDistance!).toBeLessThan(faceWidth * 0.5);
    expect(m.interEyeDistance!).toBeGreaterThanOrEqual(
      DEFAULT_QUALITY_SETTINGS.minInterEyeDistancePx,
    );
    // Numbers only: nothing in the report is a picture.
    expect(JSON.stringify(prepared.quality).length).toBeLessThan(4000);
  });

  it('keeps the eyes the setting apart in the vendor image when the face is small', async () => {
    // A customer at ~90 cm in a 1920x1080 frame: the image is made smaller for the vendor, but
    // no smaller than the face (160 px) and the eyes (the setting) allow.
    const frame = toRgbaFrame(
      await framedFace(face(6, 2), { width: 1920, height: 1080, faceShare: 0.19 }),
    );
    const profile = VENDOR_PROFILES['kairos-liveness-v0.1'];
    const usual = await capture.captureFrame(frame, profile);
    expect(usual.quality.measures!.interEyeDistance!).toBeGreaterThanOrEqual(
      DEFAULT_QUALITY_SETTINGS.minInterEyeDistancePx - 1,
    );
    capture.setQuality({ minInterEyeDistancePx: 70 });
    try {
      const wider = await capture.captureFrame(frame, profile);
      expect(wider.width).toBeGreaterThan(usual.width);
      expect(wider.quality.measures!.interEyeDistance!).toBeGreaterThanOrEqual(69);
    } finally {
      capture.setQuality({ minInterEyeDistancePx: DEFAULT_QUALITY_SETTINGS.minInterEyeDistancePx });
    }
  });

  it('passes a tight portrait (a scanned passport photo) in the id-photo role, measured', async () => {
    const portrait = await jpegOf(
      await framedFace(face(6, 3), { width: 960, height: 1280, faceShare: 0.9, centerY: 0.5 }),
    );
    const prepared = await capture.prepareFile(
      portrait,
      VENDOR_PROFILES['kairos-biometric-v0.1'],
      'id-photo',
    );
    expect(prepared.quality.verdict).toBe('ok');
    expect(prepared.quality.measures!.yaw).not.toBeNull();
    expect(prepared.quality.measures!.headSize!).toBeGreaterThan(0.4);
  });
});

describe('quality settings', () => {
  it('refuses an invalid threshold whole and keeps the previous ones', () => {
    const before = capture.quality;
    expect(() => capture.setQuality({ minEyesOpen: 2 })).toThrow(
      /quality settings were not applied/,
    );
    expect(() => capture.setQuality({ maxYawDegrees: -1 })).toThrow(CaptureError);
    expect(capture.quality).toEqual(before);
    expect(
      () => new CaptureService({ quality: { minIlluminationUniformity: Number.NaN } }),
    ).toThrow(CaptureError);
  });
});
