/**
 * The measurements behind capture's numbers (MIN_SENT_FACE_WIDTH, JPEG_QUALITY, the gates'
 * brightness, contrast and sharpness). Run with the benchmark:
 *   BENCH_CALIBRATE=1 npx tsx test/bench/capture.bench.ts
 * Not a test: it prints figures for a person to judge, and takes about a minute.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { CaptureService } from '../../main/capture/capture-service.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { CLEAR_FACES, framedFace, toRgbaFrame, type DemoFace } from '../helpers/faces.js';
import { adjusted } from './test-files.js';

const require = createRequire(import.meta.url);

/** The part of face-api's node-wasm build used to compute face descriptors. */
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(v: Uint8Array, s: number[], d: 'int32'): { dispose(): void };
  };
  nets: Record<
    'tinyFaceDetector' | 'faceLandmark68Net' | 'faceRecognitionNet',
    { loadFromDisk(dir: string): Promise<void> }
  >;
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => object;
  detectSingleFace(
    input: unknown,
    options: object,
  ): {
    withFaceLandmarks(): {
      withFaceDescriptor(): Promise<{ descriptor: Float32Array } | undefined>;
    };
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
const range = (values: number[]) =>
  `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} (median ${median(values).toFixed(0)})`;

/** A face's 128-number identity descriptor drifts as the face shrinks; where does it stop? */
async function faceWidthSweep(faces: readonly DemoFace[]): Promise<string[]> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  (
    require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string, f: boolean): void }
  ).setWasmPaths(
    `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`,
    false,
  );
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  const models = `${path.dirname(require.resolve('@vladmandic/face-api/package.json'))}/model`;
  for (const net of ['tinyFaceDetector', 'faceLandmark68Net', 'faceRecognitionNet'] as const) {
    await faceapi.nets[net].loadFromDisk(models);
  }
  const describe = async (pixels: { data: Uint8Array; width: number; height: number }) => {
    const tensor = faceapi.tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32');
    const found = await faceapi
      .detectSingleFace(
        tensor,
        new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.3 }),
      )
      .withFaceLandmarks()
      .withFaceDescriptor();
    tensor.dispose();
    return found?.descriptor;
  };
  const widths = [64, 80, 100, 128, 160, 200];
  const drift = new Map<number, number[]>(widths.map((w) => [w, []]));
  for (const face of faces) {
    // Native resolution: the demo faces are ~250 px wide here.
    const native = await framedFace(face, { width: 720, height: 960, faceShare: 0.35 });
    const reference = await describe(native);
    if (reference === undefined) continue;
    for (const width of widths) {
      const scale = width / (0.35 * 720);
      const small = await adjusted(native, (p) => p.resize(Math.round(720 * scale)));
      const descriptor = await describe(small);
      if (descriptor)
        drift.get(width)!.push(Math.hypot(...descriptor.map((v, i) => v - reference[i]!)));
    }
  }
  return widths.map(
    (w) =>
      `face ${w} px: descriptor distance from full size, median ${median(drift.get(w)!).toFixed(3)} (${drift.get(w)!.length} faces; 0.6 separates people)`,
  );
}

/** Face PSNR and bytes by JPEG quality, on 1280x720 kiosk selfies. */
async function qualitySweep(faces: readonly DemoFace[]): Promise<string[]> {
  const lines: string[] = [];
  for (const quality of [75, 80, 85, 90, 92]) {
    const psnr: number[] = [];
    const bytes: number[] = [];
    for (const face of faces) {
      const image = await framedFace(face, { width: 1280, height: 720 });
      const raw = { raw: { width: 1280, height: 720, channels: 3 as const } };
      const jpeg = await sharp(image.data, raw).jpeg({ quality }).toBuffer();
      const decoded = await sharp(jpeg).raw().toBuffer();
      // The face: the middle third of the frame around where framedFace puts it.
      let squared = 0;
      let n = 0;
      for (let y = 180; y < 470; y += 1) {
        for (let x = 500; x < 780; x += 1) {
          for (let c = 0; c < 3; c += 1) {
            const i = (y * 1280 + x) * 3 + c;
            squared += (image.data[i]! - decoded[i]!) ** 2;
            n += 1;
          }
        }
      }
      psnr.push(10 * Math.log10((255 * 255) / (squared / n)));
      bytes.push(jpeg.byteLength);
    }
    lines.push(
      `q${quality}: face PSNR median ${median(psnr).toFixed(1)} dB, worst ${Math.min(...psnr).toFixed(1)} dB; median ${(median(bytes) / 1024).toFixed(0)} KB`,
    );
  }
  return lines;
}

/** What the gates measure on lit, dark and blurred faces, live and at capture. */
async function gateSweep(service: CaptureService, faces: readonly DemoFace[]): Promise<string[]> {
  const live: Record<string, { brightness: number[]; contrast: number[]; sharpness: number[] }> =
    {};
  const record = (
    name: string,
    m: { brightness: number; contrast: number; sharpness: number } | null,
  ) => {
    const row = (live[name] ??= { brightness: [], contrast: [], sharpness: [] });
    if (m === null) return;
    row.brightness.push(m.brightness);
    row.contrast.push(m.contrast);
    row.sharpness.push(m.sharpness);
  };
  for (const face of faces) {
    const small = await framedFace(face, { width: 320, height: 240 });
    for (const [name, operation] of [
      ['live lit', (p: Sharp) => p],
      ['live 35% exposure', (p: Sharp) => p.linear(0.35, 0)],
      ['live blur 1.5 px', (p: Sharp) => p.blur(1.5)],
    ] as const) {
      service.resetSteadiness();
      record(
        name,
        (await service.analyzeFrame(toRgbaFrame(await adjusted(small, operation)))).mainFace,
      );
    }
    const full = await framedFace(face, { width: 1920, height: 1080 });
    for (const sigma of [0, 4, 6]) {
      const frame =
        sigma === 0 ? toRgbaFrame(full) : toRgbaFrame(await adjusted(full, (p) => p.blur(sigma)));
      const report = await service
        .captureFrame(frame, VENDOR_PROFILES['kairos-liveness-v0.1'])
        .then(
          (prepared) => prepared.quality,
          (error: { report?: { mainFace: null } }) => error.report ?? { mainFace: null },
        );
      record(`capture 1080p blur ${sigma} px`, report.mainFace);
    }
  }
  return Object.entries(live).map(
    ([name, row]) =>
      `${name} (${row.sharpness.length} faces found): brightness ${range(row.brightness)}, contrast ${range(row.contrast)}, sharpness ${range(row.sharpness)}`,
  );
}

export async function calibrate(service: CaptureService): Promise<string[]> {
  return [
    ...(await faceWidthSweep(CLEAR_FACES)),
    ...(await qualitySweep(CLEAR_FACES)),
    ...(await gateSweep(service, CLEAR_FACES)),
  ];
}
