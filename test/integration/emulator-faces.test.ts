/** The emulator with the kiosk's own face detector reports the faces really in the photo. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../main/capture/capture-service.js';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import type { PreparedImage } from '../../model/request.js';
import { CLEAR_FACES, demoPhoto, faceFile } from '../helpers/faces.js';
import { makeJpeg } from '../helpers/images.js';

const credentials = { vendor: 'kairos', ...TRAINING_CREDENTIALS.kairos } as const;
let capture: CaptureService;
let emulator: VendorEmulator;
let gateway: VendorGateway;

beforeAll(async () => {
  capture = new CaptureService();
  emulator = await startEmulator({ port: 0, detectFaces: capture.detectFaces });
  gateway = new VendorGateway({ baseUrls: { kairos: emulator.url } });
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
  await capture.close();
});

function jpeg(bytes: Buffer): PreparedImage {
  return { bytes, fileName: 'photo.jpg', contentType: 'image/jpeg' };
}

function liveness(selfie: PreparedImage) {
  return gateway.send(
    { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie, threshold: 0.6 },
    { credentials },
  );
}

describe('emulator faces', () => {
  it('reports one face where the selfie has it, not the whole frame', async () => {
    // The face is framed at 35% of the short side, centred at (50%, 45%) of a 800x600 frame.
    const result = await liveness(
      jpeg(await faceFile(CLEAR_FACES[0]!, { width: 800, height: 600 })),
    );
    expect(result.faces).toHaveLength(1);
    const face = result.faces[0]!;
    expect(face.width).toBeGreaterThan(120);
    expect(face.width).toBeLessThan(400);
    expect(face.x + face.width / 2).toBeGreaterThan(300);
    expect(face.x + face.width / 2).toBeLessThan(500);
    expect(face.confidence).toBeGreaterThan(0.5);
  });

  it('reports every face of a group photo', async () => {
    const result = await liveness(jpeg(await demoPhoto(6)));
    expect(result.faces.length).toBeGreaterThanOrEqual(3);
  });

  it('reports no face, and no liveness, for a picture of a wall', async () => {
    const result = await liveness(jpeg(await makeJpeg(800, 600, 3)));
    expect(result.faces).toEqual([]);
    expect(result.liveness.live).toBe(false);
  });

  it('finds the same face in a PNG of the same selfie', async () => {
    const file = await faceFile(CLEAR_FACES[1]!, { width: 640, height: 480, format: 'png' });
    const result = await liveness({ bytes: file, fileName: 'photo.png', contentType: 'image/png' });
    expect(result.faces).toHaveLength(1);
    expect((await sharp(file).metadata()).format).toBe('png');
  });

  it('looks for faces once per distinct picture, however often it is resent', async () => {
    let calls = 0;
    const counting = await startEmulator({
      port: 0,
      detectFaces: (image) => {
        calls += 1;
        return capture.detectFaces(image);
      },
    });
    const counted = new VendorGateway({ baseUrls: { kairos: counting.url } });
    try {
      const selfie = jpeg(await faceFile(CLEAR_FACES[2]!, { width: 640, height: 480 }));
      const send = () =>
        counted.send(
          { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
          { credentials },
        );
      const [first, second, third] = [await send(), await send(), await send()];
      expect(calls).toBe(1);
      expect(second.faces).toEqual(first.faces);
      expect(third.faces).toEqual(first.faces);
      await send().then(() => undefined);
      const other = jpeg(await faceFile(CLEAR_FACES[3]!, { width: 640, height: 480 }));
      await counted.send(
        { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie: other, threshold: 0.6 },
        { credentials },
      );
      expect(calls).toBe(2);
    } finally {
      await counted.close();
      await counting.close();
    }
  });
});
