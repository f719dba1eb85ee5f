/**
 * The seam between the face worker and the network that finds faces. Two implementations:
 * BlazeFace (blazeface-detector.ts, the one the kiosk runs) and face-api's tiny face detector
 * (tiny-face-detector.ts, kept for the side-by-side benchmark and as a fallback). Choosing the
 * other one is one line in face-worker.ts.
 *
 * Measured side by side on the 14 demo faces (test/bench/capture.bench.ts, BENCHMARKS.md):
 * BlazeFace finds at least as many faces at every face size from 0.1 of the frame to a tight
 * crop, in about a third of the time of the tiny detector's two passes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CaptureRole, PixelImage } from './types.js';

/** A face as the detector reports it, in the pixel coordinates of the image it was given. */
export interface DetectedFace {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface FaceModel {
  /** For the start-up log and the benchmark: 'blazeface' or 'tiny-face-detector'. */
  readonly name: string;
  /** The TensorFlow.js backend in use ('wasm'). */
  readonly backend: string;
  /** Every face with a score over `minScore`, in `image`'s pixels; overlapping boxes merged. */
  detect(image: PixelImage, role: CaptureRole, minScore: number): Promise<DetectedFace[]>;
}

/**
 * tfjs-backend-wasm's dist/ folder, with a trailing separator, for setWasmPaths(dir, false):
 * the .wasm binaries are read from disk there, never fetched.
 */
export function wasmBinariesDir(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  return `${path.join(dir, 'dist')}${path.sep}`;
}

/**
 * RGB values as a tensor wants them, dropping alpha in the same pass. With `square`, the image
 * sits in the top-left corner of a black square of its longer side (its pixel coordinates stay
 * the same), for a network whose input is square and would otherwise stretch it.
 */
export function rgbValues(image: PixelImage, square = false): Int32Array {
  const { data, channels, width, height } = image;
  const rowLength = square ? Math.max(width, height) : width;
  const rows = square ? rowLength : height;
  const out = new Int32Array(rowLength * rows * 3);
  for (let y = 0, i = 0; y < height; y += 1) {
    for (let x = 0, o = y * rowLength * 3; x < width; x += 1, i += channels, o += 3) {
      out[o] = data[i]!;
      out[o + 1] = data[i + 1]!;
      out[o + 2] = data[i + 2]!;
    }
  }
  return out;
}

/**
 * Greedy non-maximum suppression: the surest box wins; a box goes when its intersection over
 * union with a kept one exceeds `iou` (face-api's 0.4), or when more than `nested` of the
 * smaller box lies inside it. The second rule is for passes at different scales: a pass too
 * coarse for a small face can report a box around the whole head, 0.29 of the frame around a
 * 0.18 face (measured: union 0.39, under 0.4), which would become the main face.
 */
export function nonMaxSuppression(
  boxes: readonly DetectedFace[],
  iou: number,
  nested: number,
): DetectedFace[] {
  const kept: DetectedFace[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    const duplicate = kept.some((other) => {
      const shared = intersection(other, box);
      const union = area(other) + area(box) - shared;
      return shared / union > iou || shared / Math.min(area(other), area(box)) > nested;
    });
    if (!duplicate) kept.push(box);
  }
  return kept;
}

function intersection(a: DetectedFace, b: DetectedFace): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function area(box: DetectedFace): number {
  return box.width * box.height;
}
