/**
 * Real faces for capture tests and benchmarks, cut at test time from @vladmandic/face-api's demo
 * photos (group photos of adults, shipped in node_modules). Nothing made here is written into
 * the repository.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import type { FaceDetector } from '../../main/capture/capture-service.js';
import type { PixelImage, RgbaFrame } from '../../main/capture/types.js';
import type { FaceBox } from '../../model/result-model.js';

const require = createRequire(import.meta.url);
export const DEMO_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
);

export type DemoPhoto = 1 | 2 | 3 | 4 | 5 | 6;
export const DEMO_PHOTOS: readonly DemoPhoto[] = [1, 2, 3, 4, 5, 6];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/**
 * Every face the tiny detector finds in each full-size demo photo (input 608 on a 960-px copy,
 * score >= 0.4), in full-size pixels. Looked up once; the photos do not change.
 */
const FACES_IN_PHOTO: Record<DemoPhoto, Box[]> = {
  1: [
    { x: 815, y: 447, width: 257, height: 246, score: 0.81 },
    { x: 1422, y: 211, width: 282, height: 267, score: 0.66 },
    { x: 404, y: 411, width: 236, height: 227, score: 0.47 },
  ],
  2: [
    { x: 858, y: 272, width: 211, height: 200, score: 0.75 },
    { x: 1426, y: 191, width: 254, height: 235, score: 0.62 },
  ],
  3: [
    { x: 1014, y: 236, width: 304, height: 285, score: 0.87 },
    { x: 536, y: 350, width: 267, height: 277, score: 0.6 },
    { x: 1449, y: 322, width: 278, height: 276, score: 0.47 },
  ],
  4: [
    { x: 944, y: 225, width: 243, height: 221, score: 0.87 },
    { x: 642, y: 104, width: 241, height: 232, score: 0.85 },
    { x: 214, y: 242, width: 227, height: 219, score: 0.76 },
    { x: 1251, y: 228, width: 197, height: 189, score: 0.55 },
  ],
  5: [
    { x: 753, y: 145, width: 205, height: 200, score: 0.85 },
    { x: 567, y: 459, width: 244, height: 235, score: 0.84 },
    { x: 1072, y: 235, width: 246, height: 233, score: 0.81 },
    { x: 326, y: 918, width: 266, height: 276, score: 0.8 },
    { x: 1374, y: 429, width: 250, height: 256, score: 0.64 },
  ],
  6: [
    { x: 196, y: 535, width: 287, height: 263, score: 0.87 },
    { x: 1442, y: 320, width: 272, height: 277, score: 0.79 },
    { x: 1128, y: 358, width: 260, height: 262, score: 0.77 },
    { x: 615, y: 385, width: 280, height: 282, score: 0.73 },
  ],
};

/**
 * Face width / the frame's shorter side for a customer `distanceCm` from the kiosk camera:
 * 16 / distance. A 15 cm face (the detector's box), and a camera whose shorter side spans ~50
 * degrees (0.94 x the distance): a 16:9 webcam of ~80 degrees across, a 4:3 one of ~64. So 0.2
 * at 80 cm, 0.27 at 60, 0.4 at 40, 0.64 at 25, 0.11 at 150. Used for 16:9 and 4:3 frames alike.
 */
export function faceShareAt(distanceCm: number): number {
  return 16 / distanceCm;
}

/** One face in one demo photo. */
export interface DemoFace {
  photo: DemoPhoto;
  index: number;
}

/** Faces the detector finds clearly (score >= 0.7): the ones one-face fixtures are cut around. */
export const CLEAR_FACES: readonly DemoFace[] = DEMO_PHOTOS.flatMap((photo) =>
  FACES_IN_PHOTO[photo].flatMap((box, index) => (box.score >= 0.7 ? [{ photo, index }] : [])),
);

const photoCache = new Map<DemoPhoto, Promise<Buffer>>();

/** A whole demo photo (several faces), as its JPEG bytes. */
export function demoPhoto(photo: DemoPhoto): Promise<Buffer> {
  let bytes = photoCache.get(photo);
  if (bytes === undefined) {
    bytes = readFile(path.join(DEMO_DIR, `sample${photo}.jpg`));
    photoCache.set(photo, bytes);
  }
  return bytes;
}

export interface FramingOptions {
  /** Output size. */
  width: number;
  height: number;
  /** Face width as a share of the output's shorter side (kiosk framing: ~0.3-0.45). */
  faceShare?: number;
  /** Where the face centre sits, as a share of the output's width and height. */
  centerX?: number;
  centerY?: number;
}

/**
 * One face framed like a kiosk selfie: a crop around it with every other face in the photo
 * painted over, resized to width x height. Returns upright RGB pixels.
 */
export async function framedFace(face: DemoFace, options: FramingOptions): Promise<PixelImage> {
  const { width, height, faceShare = 0.35, centerX = 0.5, centerY = 0.45 } = options;
  const photo = await demoPhoto(face.photo);
  const meta = await sharp(photo).metadata();
  const boxes = FACES_IN_PHOTO[face.photo];
  const box = boxes[face.index]!;

  // Crop scale: output px per photo px, chosen so the face gets its share of the short side.
  const zoom = (faceShare * Math.min(width, height)) / box.width;
  const cropW = Math.round(width / zoom);
  const cropH = Math.round(height / zoom);
  const left = Math.round(box.x + box.width / 2 - centerX * cropW);
  const top = Math.round(box.y + box.height / 2 - centerY * cropH);

  // Where the crop runs past the photo's edge, the edge pixels are repeated (never mirrored:
  // a mirror would duplicate a face near the edge).
  const pad = {
    left: Math.max(0, -left),
    top: Math.max(0, -top),
    right: Math.max(0, left + cropW - meta.width),
    bottom: Math.max(0, top + cropH - meta.height),
  };
  const padded = await sharp(photo)
    .extend({ ...pad, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const patches = boxes
    .filter((_, index) => index !== face.index)
    .map((other) => patchOver(other, left, top, zoom, width, height))
    .filter((patch) => patch !== null);
  const { width: paddedW, height: paddedH, channels } = padded.info;
  const { data, info } = await sharp(padded.data, {
    raw: { width: paddedW, height: paddedH, channels },
  })
    .extract({ left: left + pad.left, top: top + pad.top, width: cropW, height: cropH })
    .resize(width, height, { fit: 'fill' })
    // sharp composites after resizing, so the patches are in output pixels.
    .composite(patches)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** A kiosk camera frame (RGBA) of one face. */
export async function faceFrame(face: DemoFace, options: FramingOptions): Promise<RgbaFrame> {
  return toRgbaFrame(await framedFace(face, options));
}

/** One face as an encoded file (JPEG unless asked), e.g. a selfie picked from disk. */
export async function faceFile(
  face: DemoFace,
  options: FramingOptions & { format?: 'jpeg' | 'png' },
): Promise<Buffer> {
  const image = await framedFace(face, options);
  const pipeline = sharp(image.data, { raw: { ...size(image), channels: image.channels } });
  return options.format === 'png'
    ? pipeline.png().toBuffer()
    : pipeline.jpeg({ quality: 92 }).toBuffer();
}

export function toRgbaFrame(image: PixelImage): RgbaFrame {
  const pixels = image.width * image.height;
  const data = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p += 1) {
    data[p * 4] = image.data[p * image.channels]!;
    data[p * 4 + 1] = image.data[p * image.channels + 1]!;
    data[p * 4 + 2] = image.data[p * image.channels + 2]!;
    data[p * 4 + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

/** A copy of a frame (analyzeFrame detaches the one it is given). */
export function copyFrame(frame: RgbaFrame): RgbaFrame {
  return { width: frame.width, height: frame.height, data: frame.data.slice() };
}

/** The FaceDetector twin for emulator tests that need faces without running the model. */
export function fixedFaceDetector(faces: FaceBox[]): FaceDetector {
  return { detectFaces: () => Promise.resolve(faces.map((face) => ({ ...face }))) };
}

/** A flat grey patch over another person's face (expanded to cover hair and chin). */
function patchOver(
  box: Box,
  left: number,
  top: number,
  zoom: number,
  width: number,
  height: number,
): OverlayOptions | null {
  const x0 = clamp(Math.round((box.x - box.width * 0.35 - left) * zoom), 0, width);
  const y0 = clamp(Math.round((box.y - box.height * 0.35 - top) * zoom), 0, height);
  const x1 = clamp(Math.round((box.x + box.width * 1.35 - left) * zoom), 0, width);
  const y1 = clamp(Math.round((box.y + box.height * 1.35 - top) * zoom), 0, height);
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  return {
    input: {
      create: {
        width: x1 - x0,
        height: y1 - y0,
        channels: 3,
        background: { r: 96, g: 92, b: 88 },
      },
    },
    left: x0,
    top: y0,
  };
}

function size(image: PixelImage): { width: number; height: number } {
  return { width: image.width, height: image.height };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
