/**
 * An ID photo is found whatever its size in the picture: a small portrait on a card held at
 * arm's length, a card held close to the camera, a scanned portrait filling the page. Before
 * the detector ran at two scales, a portrait over about half the picture was "No portrait
 * found on the document" while the same file passed as a selfie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../main/capture/capture-service.js';
import type { PreparedCapture } from '../../main/capture/types.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { framedFace, toRgbaFrame, type DemoFace } from '../helpers/faces.js';
import { rawSharp } from './test-files.js';

const BIOMETRIC = VENDOR_PROFILES['kairos-biometric-v0.1'];
/** Face width / short side: from a small portrait (the id-photo minimum is 0.1) to a tight crop. */
const SCALES = [0.11, 0.2, 0.33, 0.5, 0.9];
/** Two demo faces the detector finds at every scale here (test/capture/calibration.ts). */
const FACES: readonly DemoFace[] = [
  { photo: 4, index: 0 },
  { photo: 6, index: 3 },
];

let capture: CaptureService;

beforeAll(async () => {
  capture = new CaptureService();
  await capture.start();
});

afterAll(() => capture.close());

/** The verdict and the portrait's measured size, or the refusal's code. */
async function outcome(prepared: Promise<PreparedCapture>): Promise<string> {
  return prepared.then(
    (done) => `ok ${done.quality.mainFace!.sizeRatio.toFixed(2)}`,
    (error: { code?: string }) => `refused: ${error.code}`,
  );
}

describe.each(FACES)('an ID portrait (demo photo $photo, face $index)', (face) => {
  it.each([
    { shape: 'a 4:3 photo', width: 1280, height: 960 },
    { shape: 'a portrait-format scan', width: 960, height: 1280 },
  ])('is prepared from $shape at every size, 0.11 to 0.9 of the short side', async (view) => {
    const results: Record<string, string> = {};
    for (const share of SCALES) {
      const image = await framedFace(face, { ...view, faceShare: share, centerY: 0.5 });
      const file = await rawSharp(image).jpeg({ quality: 92 }).toBuffer();
      results[share] = await outcome(capture.prepareFile(file, BIOMETRIC, 'id-photo'));
    }
    for (const share of SCALES) {
      expect(results[share], JSON.stringify(results)).toMatch(/^ok /);
      // The portrait itself, not a box around something else.
      const measured = Number(results[share]!.slice(3));
      expect(measured / share, JSON.stringify(results)).toBeGreaterThan(0.7);
      expect(measured / share, JSON.stringify(results)).toBeLessThan(1.4);
    }
  });

  it('is captured from a 1920x1080 camera frame at every size', async () => {
    const results: Record<string, string> = {};
    for (const share of SCALES) {
      const image = await framedFace(face, {
        width: 1920,
        height: 1080,
        faceShare: share,
        centerY: 0.5,
      });
      results[share] = await outcome(
        capture.captureFrame(toRgbaFrame(image), BIOMETRIC, 'id-photo'),
      );
    }
    for (const share of SCALES) expect(results[share], JSON.stringify(results)).toMatch(/^ok /);
  });
});
