/**
 * The measurements behind capture's numbers (MIN_SENT_FACE_WIDTH, JPEG_QUALITY, the gates'
 * brightness, contrast and sharpness, the face-size gates, the detector's passes, the face
 * quality settings of model/quality-settings.ts). Run with the
 * benchmark:
 *   BENCH_CALIBRATE=1 npx tsx test/bench/capture.bench.ts
 * Not a test: it prints figures for a person to judge, and takes about ten minutes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { CaptureService } from '../../main/capture/capture-service.js';
import { ANALYSIS } from '../../main/capture/thresholds.js';
import { loadTinyFaceDetector, type DetectedFace } from '../../main/capture/tiny-face-detector.js';
import type { PixelImage } from '../../main/capture/types.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import {
  CLEAR_FACES,
  faceShareAt,
  framedFace,
  toRgbaFrame,
  type DemoFace,
} from '../helpers/faces.js';
import { blurred, mirrored, rotated, shadedLeft } from './face-variants.js';
import { adjusted, rawSharp } from './test-files.js';

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

/** The views the detector's passes were chosen on: guidance frames, and files at 640 px. */
const VIEWS = [
  { name: 'live 320x180', width: 320, height: 180 },
  { name: 'live 320x240', width: 320, height: 240 },
  { name: 'file 1280x720', width: 1280, height: 720 },
  { name: 'file 1280x960', width: 1280, height: 960 },
  { name: 'file 960x1280', width: 960, height: 1280 },
] as const;
const SHARES = [0.1, 0.133, 0.2, 0.267, 0.4, 0.5, 0.65, 0.8, 0.9];

/** The main face the detector reports, if it is the framed one (centred, about its size). */
function framedFaceFound(faces: DetectedFace[], image: PixelImage, share: number): boolean {
  const main = faces
    .filter((face) => face.score >= 0.5)
    .sort((a, b) => b.width * b.height - a.width * a.height)[0];
  if (main === undefined) return false;
  const ratio = main.width / Math.min(image.width, image.height) / share;
  const offset = Math.abs((main.x + main.width / 2) / image.width - 0.5);
  return ratio > 0.6 && ratio < 1.6 && offset < 0.12;
}

/**
 * How many demo faces the detector finds by face size (face width / short side), for each
 * role's passes and for what ran before them (face-api's one square input, 320 for selfies and
 * 608 for ID photos), and the detector's time per image.
 */
async function detectionSweep(faces: readonly DemoFace[]): Promise<string[]> {
  const detector = await loadTinyFaceDetector();
  const lines: string[] = [];
  for (const view of VIEWS) {
    // Face-api's square input of n px is a single pass at n x short / long.
    const square = (n: number) =>
      Math.round((n * Math.min(view.width, view.height)) / Math.max(view.width, view.height));
    const sets = {
      'selfie before (square 320)': [square(320)],
      'id-photo before (square 608)': [square(608)],
      [`selfie [${ANALYSIS.selfie.passes.join(', ')}]`]: ANALYSIS.selfie.passes,
      [`id-photo [${ANALYSIS['id-photo'].passes.join(', ')}]`]: ANALYSIS['id-photo'].passes,
    };
    const found = new Map<string, number[]>(Object.keys(sets).map((name) => [name, []]));
    const times = new Map<string, number[]>(Object.keys(sets).map((name) => [name, []]));
    for (const share of SHARES) {
      const counts = Object.keys(sets).map(() => 0);
      for (const face of faces) {
        const image = await viewOf(face, view, share);
        for (const [i, passes] of Object.values(sets).entries()) {
          const started = performance.now();
          const detected = await detector.detect(image, passes, 0.5);
          times.get(Object.keys(sets)[i]!)!.push(performance.now() - started);
          if (framedFaceFound(detected, image, share)) counts[i]! += 1;
        }
      }
      for (const [i, name] of Object.keys(sets).entries()) found.get(name)!.push(counts[i]!);
    }
    for (const [name, counts] of found) {
      const cells = SHARES.map((share, i) => `${share} ${counts[i]}`).join(', ');
      lines.push(
        `detector, ${view.name}, ${name}: of ${faces.length} faces found at ${cells}; ${median(times.get(name)!).toFixed(0)} ms`,
      );
    }
  }
  return lines;
}

/** A face framed in a view; files are analysed at 640 px as the capture does. */
async function viewOf(
  face: DemoFace,
  view: (typeof VIEWS)[number],
  share: number,
): Promise<PixelImage> {
  const image = await framedFace(face, { ...view, faceShare: share, centerY: 0.5 });
  if (Math.max(view.width, view.height) <= 640) return image;
  return adjusted(image, (pipeline) => pipeline.resize({ width: 640, height: 640, fit: 'inside' }));
}

/** Live verdicts at walk-up distances (faceShareAt), sharp and blurred by 1 px (6 at 1080p). */
async function distanceSweep(
  service: CaptureService,
  faces: readonly DemoFace[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const view of VIEWS.slice(0, 2)) {
    for (const distance of [25, 40, 60, 80, 100, 150]) {
      for (const blur of [0, 1]) {
        const verdicts: Record<string, number> = {};
        const ratios: number[] = [];
        const sharpness: number[] = [];
        for (const face of faces) {
          const framed = await framedFace(face, { ...view, faceShare: faceShareAt(distance) });
          const image = blur === 0 ? framed : await adjusted(framed, (p) => p.blur(blur));
          service.resetSteadiness();
          const analysis = await service.analyzeFrame(toRgbaFrame(image));
          verdicts[analysis.verdict] = (verdicts[analysis.verdict] ?? 0) + 1;
          if (analysis.mainFace === null) continue;
          ratios.push(analysis.mainFace.sizeRatio);
          sharpness.push(analysis.mainFace.sharpness);
        }
        const spread = (values: number[], digits: number) =>
          values.length === 0
            ? 'none'
            : `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
        lines.push(
          `guidance ${view.name}, ${distance} cm (face ${faceShareAt(distance).toFixed(3)})${blur === 0 ? '' : ', blurred 1 px'}: ${JSON.stringify(verdicts)}; size ratio ${spread(ratios, 2)}, sharpness ${spread(sharpness, 0)}`,
        );
      }
    }
  }
  return lines;
}

/** ID photos by portrait size: prepareFile (JPEG) and captureFrame (1920x1080), id-photo. */
async function idPhotoSweep(
  service: CaptureService,
  faces: readonly DemoFace[],
): Promise<string[]> {
  const profile = VENDOR_PROFILES['kairos-biometric-v0.1'];
  const shapes = [
    { name: 'file 1280x960', width: 1280, height: 960, file: true },
    { name: 'file 960x1280', width: 960, height: 1280, file: true },
    { name: 'frame 1920x1080', width: 1920, height: 1080, file: false },
  ];
  const lines: string[] = [];
  for (const shape of shapes) {
    const cells: string[] = [];
    for (const share of [0.11, 0.2, 0.33, 0.5, 0.9]) {
      let ok = 0;
      for (const face of faces) {
        const image = await framedFace(face, { ...shape, faceShare: share, centerY: 0.5 });
        const prepared = shape.file
          ? service.prepareFile(
              await rawSharp(image).jpeg({ quality: 92 }).toBuffer(),
              profile,
              'id-photo',
            )
          : service.captureFrame(toRgbaFrame(image), profile, 'id-photo');
        ok += await prepared.then(
          () => 1,
          () => 0,
        );
      }
      cells.push(`${share} ${ok}`);
    }
    lines.push(`id-photo ${shape.name}: of ${faces.length} faces prepared at ${cells.join(', ')}`);
  }
  return lines;
}

/**
 * The face mesh's measures (model/quality-settings.ts) on the demo faces in 320x240 guidance
 * frames (face 0.4 of the short side) and on variants: mirrored, rotated 15 degrees, the left
 * half of the face in a quarter of the light, blurred by 2 px. Ranges over the faces measured.
 */
async function meshSweep(service: CaptureService, faces: readonly DemoFace[]): Promise<string[]> {
  type Variant = (image: PixelImage, centre: number) => Promise<PixelImage>;
  const variants: Record<string, Variant> = {
    'as photographed': (image) => Promise.resolve(image),
    mirrored: (image) => mirrored(image),
    'rotated 15': (image) => rotated(image, 15),
    'left half at 25% light': (image, centre) =>
      shadedLeft(image, 0.25, centre - 0.03, centre + 0.01),
    'blurred 2 px': (image) => blurred(image, 2),
  };
  const lines: string[] = [];
  const range = (values: number[]) =>
    values.length === 0
      ? 'none'
      : `${Math.min(...values).toFixed(2)}..${Math.max(...values).toFixed(2)}`;
  for (const [name, variant] of Object.entries(variants)) {
    const found: Record<string, number[]> = {};
    const verdicts: Record<string, number> = {};
    for (const face of faces) {
      const image = await framedFace(face, { width: 320, height: 240, faceShare: 0.4 });
      service.resetSteadiness();
      const twin = (await service.analyzeFrame(toRgbaFrame(image))).measures;
      const centre =
        twin?.marginLeft == null ? 0.5 : (twin.marginLeft + 1 - (twin.marginRight ?? 0)) / 2;
      service.resetSteadiness();
      const analysis = await service.analyzeFrame(toRgbaFrame(await variant(image, centre)));
      verdicts[analysis.verdict] = (verdicts[analysis.verdict] ?? 0) + 1;
      const m = analysis.measures;
      if (m === null) continue;
      for (const key of ['yaw', 'pitch', 'roll', 'eyesOpen', 'illuminationUniformity'] as const) {
        const value = m[key];
        if (value !== null) (found[key] ??= []).push(value);
      }
    }
    const ranges = Object.entries(found).map(([key, values]) => `${key} ${range(values)}`);
    const counted = Object.entries(verdicts).map(([verdict, n]) => `${verdict} ${n}`);
    lines.push(`face mesh, ${name}: ${ranges.join(', ')}; verdicts: ${counted.join(', ')}`);
  }
  return lines;
}

export async function calibrate(service: CaptureService): Promise<string[]> {
  return [
    ...(await meshSweep(service, CLEAR_FACES)),
    ...(await faceWidthSweep(CLEAR_FACES)),
    ...(await qualitySweep(CLEAR_FACES)),
    ...(await gateSweep(service, CLEAR_FACES)),
    ...(await detectionSweep(CLEAR_FACES)),
    ...(await distanceSweep(service, CLEAR_FACES)),
    ...(await idPhotoSweep(service, CLEAR_FACES)),
  ];
}
