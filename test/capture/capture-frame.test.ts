/**
 * The final capture from a full-resolution camera frame, for every vendor, through the real
 * worker; and the face-detector seam the vendor emulator uses.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../main/capture/capture-service.js';
import { CaptureError } from '../../main/capture/capture-error.js';
import { MIN_SENT_FACE_WIDTH } from '../../main/capture/output-size.js';
import type { JpegFrame, RgbaFrame } from '../../main/capture/types.js';
import { API_IDS } from '../../model/apis.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import {
  copyFrame,
  demoPhoto,
  faceFrame,
  framedFace,
  toRgbaFrame,
  type DemoFace,
} from '../helpers/faces.js';
import { adjusted } from './test-files.js';

const FACE: DemoFace = { photo: 6, index: 3 };
const HD = { width: 1920, height: 1080 };

let capture: CaptureService;
let frame: RgbaFrame;

beforeAll(async () => {
  capture = new CaptureService();
  frame = await faceFrame(FACE, HD);
  await capture.start();
});

afterAll(() => capture.close());

async function refusal(promise: Promise<unknown>): Promise<CaptureError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptureError);
  return error as CaptureError;
}

describe('capturing a 1920x1080 camera frame', () => {
  it.each(API_IDS)('makes a JPEG %s accepts', async (api) => {
    const profile = VENDOR_PROFILES[api];
    const prepared = await capture.captureFrame(copyFrame(frame), profile);
    const meta = await sharp(prepared.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([prepared.width, prepared.height]);
    expect(Math.min(prepared.width, prepared.height)).toBeGreaterThanOrEqual(
      profile.selfie.minShortSide,
    );
    expect(Math.max(prepared.width, prepared.height)).toBeLessThanOrEqual(
      profile.selfie.maxLongSide,
    );
    expect(prepared.width / prepared.height).toBeCloseTo(16 / 9, 2); // the whole frame
    expect(Math.max(prepared.width, prepared.height)).toBe(
      Math.max(
        profile.targetLongSide,
        Math.round(((profile.selfie.recommendedShortSide ?? 0) * 16) / 9),
      ),
    );
    if (profile.selfie.extensions !== null) {
      expect(profile.selfie.extensions).toContain(
        prepared.fileName.slice(prepared.fileName.lastIndexOf('.')),
      );
    }
    expect(prepared.quality.verdict).toBe('ok');
    expect(prepared.quality.mainFace!.box.width).toBeGreaterThanOrEqual(MIN_SENT_FACE_WIDTH);
  });

  it('reads the frame without taking it away from the caller', async () => {
    const own = copyFrame(frame);
    await capture.captureFrame(own, VENDOR_PROFILES['kairos-liveness-v0.1']);
    expect(own.data.byteLength).toBe(1920 * 1080 * 4);
  });

  it('never upscales: a 1280x720 camera goes out at 1280x720 with a note on the recommendation', async () => {
    const small = await faceFrame(FACE, { width: 1280, height: 720 });
    const prepared = await capture.captureFrame(small, VENDOR_PROFILES['kairos-liveness-v0.2']);
    expect([prepared.width, prepared.height]).toEqual([1280, 720]);
    expect(prepared.notes.join(' ')).toMatch(/recommended 900 px/);
  });

  it('refuses a camera below the vendor minimum, naming the vendor and the minimum', async () => {
    const small = await faceFrame(FACE, { width: 640, height: 360 });
    const error = await refusal(
      capture.captureFrame(small, VENDOR_PROFILES['kairos-biometric-v0.1']),
    );
    expect(error.code).toBe('below-minimum');
    expect(error.message).toContain(
      'The camera gives 640x360; Kairos biometric needs at least 480x480',
    );
  });

  it('refuses the capture when two people are in the picture', async () => {
    const { data, info } = await sharp(await demoPhoto(3))
      .resize(1920, 1080, { fit: 'cover' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const group = toRgbaFrame({ data, width: info.width, height: info.height, channels: 3 });
    const error = await refusal(
      capture.captureFrame(group, VENDOR_PROFILES['kairos-liveness-v0.1']),
    );
    expect(error.code).toBe('multiple-faces');
    expect(error.message).toMatch(/^The picture was not taken: More than one face/);
    expect(error.report!.verdict).toBe('multiple-faces');
  });

  it('refuses the capture when the face is blurred, by the same gate as live guidance', async () => {
    const face = await framedFace({ photo: 1, index: 0 }, HD);
    const smeared = toRgbaFrame(await adjusted(face, (pipeline) => pipeline.blur(8)));
    const error = await refusal(
      capture.captureFrame(smeared, VENDOR_PROFILES['kairos-liveness-v0.1']),
    );
    expect(error.code).toBe('blurry');
  });
});

describe('a capture the browser sent as a JPEG', () => {
  async function jpegOf(rgba: RgbaFrame, quality = 95): Promise<JpegFrame> {
    const data = await sharp(rgba.data, {
      raw: { width: rgba.width, height: rgba.height, channels: 4 },
    })
      .jpeg({ quality })
      .toBuffer();
    return { width: rgba.width, height: rgba.height, encoding: 'jpeg', data: new Uint8Array(data) };
  }

  it('prepares the same picture as the raw frame: size, verdict, face', async () => {
    const profile = VENDOR_PROFILES['kairos-liveness-v0.1'];
    const raw = await capture.captureFrame(copyFrame(frame), profile);
    const jpeg = await jpegOf(frame);
    // 1920x1080 in a fraction of the raw frame's 8 MB: what the harness's socket carries.
    expect(jpeg.data.byteLength).toBeLessThan(frame.data.byteLength / 10);
    const fromJpeg = await capture.captureFrame(jpeg, profile);
    expect([fromJpeg.width, fromJpeg.height]).toEqual([raw.width, raw.height]);
    expect(fromJpeg.source).toMatchObject({ kind: 'frame', width: 1920, height: 1080 });
    expect(fromJpeg.quality.verdict).toBe('ok');
    const [a, b] = [raw.quality.mainFace!.box, fromJpeg.quality.mainFace!.box];
    expect(Math.abs(a.x - b.x)).toBeLessThan(a.width * 0.05);
    expect(Math.abs(a.width - b.width)).toBeLessThan(a.width * 0.05);
  });

  it('refuses one whose decoded size is not the size announced, as bad-frame', async () => {
    const jpeg = await jpegOf(frame);
    const error = await refusal(
      capture.captureFrame(
        { ...jpeg, width: 1280, height: 720 },
        VENDOR_PROFILES['kairos-liveness-v0.1'],
      ),
    );
    expect(error.code).toBe('bad-frame');
    expect(error.message).toContain('1920x1080, not the 1280x720 announced');
  });

  it('refuses bytes that are not a whole JPEG, as bad-frame, and goes on', async () => {
    const jpeg = await jpegOf(frame);
    for (const data of [jpeg.data.subarray(0, jpeg.data.byteLength >> 1), new Uint8Array(1000)]) {
      const error = await refusal(
        capture.captureFrame({ ...jpeg, data }, VENDOR_PROFILES['kairos-liveness-v0.1']),
      );
      expect(error.code).toBe('bad-frame');
    }
    const prepared = await capture.captureFrame(jpeg, VENDOR_PROFILES['kairos-liveness-v0.1']);
    expect(prepared.quality.verdict).toBe('ok');
  });
});

describe('the face detector the vendor emulator uses', () => {
  it('finds the one face in decoded pixels, in their coordinates, without touching them', async () => {
    const pixels = await framedFace(FACE, { width: 1280, height: 720 });
    const before = Buffer.from(pixels.data);
    const faces = await capture.detectFaces(pixels);
    expect(faces).toHaveLength(1);
    const [face] = faces;
    // Framed at 35% of the short side (252 px), centred horizontally.
    expect(face!.width).toBeGreaterThan(180);
    expect(face!.width).toBeLessThan(330);
    expect(face!.x + face!.width / 2).toBeGreaterThan(540);
    expect(face!.x + face!.width / 2).toBeLessThan(740);
    expect(face!.confidence).toBeGreaterThan(0.5);
    expect(Buffer.from(pixels.data).equals(before)).toBe(true);
  });

  it('finds every face in a group photo', async () => {
    const { data, info } = await sharp(await demoPhoto(6))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const faces = await capture.detectFaces({
      data,
      width: info.width,
      height: info.height,
      channels: 3,
    });
    expect(faces.length).toBeGreaterThanOrEqual(4);
  });
});

describe('when the face worker cannot run', () => {
  it('fails with detector-failed and the process carries on', async () => {
    const broken = new CaptureService({
      workerUrl: new URL('./no-such-worker.js', import.meta.url),
    });
    const error = await refusal(broken.analyzeFrame(copyFrame(frame)));
    expect(error.code).toBe('detector-failed');
    expect(error.message).toMatch(/restart the kiosk/);
    await broken.close();
    expect(
      (await capture.detectFaces(await framedFace(FACE, { width: 640, height: 480 }))).length,
    ).toBe(1);
  });

  it('refuses work after close with service-closed', async () => {
    const service = new CaptureService();
    await service.close();
    const error = await refusal(service.analyzeFrame(copyFrame(frame)));
    expect(error.code).toBe('service-closed');
  });
});
