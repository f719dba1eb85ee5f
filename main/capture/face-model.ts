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
