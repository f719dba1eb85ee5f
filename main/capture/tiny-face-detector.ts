/**
 * The on-device face detector: @vladmandic/face-api's tiny face detector (190 KB of weights,
 * shipped inside the npm package) on TensorFlow.js's WASM backend. Runs inside the face worker.
 *
 * Everything is read from disk: the .wasm binaries from tfjs-backend-wasm's dist folder and
 * the weights from face-api's model folder. Nothing is fetched from the network, so the kiosk
 * detects faces with the branch offline, and packaging only has to ship node_modules.
 *
 * The network runs here on the image at its own aspect ratio, not through face-api's
 * detectAllFaces, which pads every image to a square first: a 16:9 frame is then 44% black
 * padding the network still computes. The network is fully convolutional (every 32x32 block of
 * input gives one cell of boxes), so the boxes are the same; measured on the demo faces, a
 * 16:9 frame at 608 px costs 37 ms instead of 105 ms, a 4:3 frame 49 ms instead of 107 ms.
 * That saving pays for a second pass at another scale (see ANALYSIS in thresholds.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  nonMaxSuppression,
  rgbValues,
  wasmBinariesDir,
  type DetectedFace,
  type FaceModel,
} from './face-model.js';
import { ANALYSIS } from './thresholds.js';
import type { PixelImage } from './types.js';

export { nonMaxSuppression, type DetectedFace } from './face-model.js';

export interface TinyFaceDetector {
  /**
   * Every face found in any of the passes, overlapping boxes merged. Each pass runs the network
   * with the image scaled so its shorter side is that many pixels: faces are found reliably
   * when they measure ~45-160 px there, so one pass covers about a 3.5x range of face sizes.
   */
  detect(image: PixelImage, passes: readonly number[], minScore: number): Promise<DetectedFace[]>;
  /** The TensorFlow.js backend in use ('wasm'), for the start-up log. */
  readonly backend: string;
}

/** The slice of face-api (and the tfjs it re-exports) this file uses; the package's own
 * types omit the backend functions of the node-wasm build and the network's internals. */
interface Tensor {
  readonly shape: number[];
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
}
interface Tfjs {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tidy<T extends Tensor>(fn: () => T): T;
  tensor3d(values: Int32Array, shape: [number, number, number], dtype: 'int32'): Tensor;
  tensor1d(values: number[], dtype: 'float32'): Tensor;
  cast(x: Tensor, dtype: 'float32'): Tensor;
  sub(a: Tensor, b: Tensor): Tensor;
  div(a: Tensor, b: number): Tensor;
  expandDims(x: Tensor, axis: number): Tensor;
  image: {
    resizeBilinear(x: Tensor, size: [number, number], alignCorners: boolean): Tensor;
  };
}
interface TinyFaceDetectorNet {
  loadFromDisk(dir: string): Promise<void>;
  readonly params: unknown;
  readonly config: { anchors: { x: number; y: number }[]; meanRgb: number[]; iouThreshold: number };
  /** The network itself: [1, h, w, 3] normalised pixels to [1, h/32, w/32, anchors * 5]. */
  runMobilenet(input: Tensor, params: unknown): Tensor;
}
interface FaceApiNodeWasm {
  tf: Tfjs;
  nets: { tinyFaceDetector: TinyFaceDetectorNet };
}
interface TfjsBackendWasm {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}

/** Input pixels per output cell, in each direction (five stride-2 poolings). */
const CELL = 32;
/** Per anchor and cell: x, y, width, height, score. */
const BOX_VALUES = 5;
/**
 * A pass never runs on more pixels than a 16:9 image of its short side: a panorama scan is
 * looked at smaller rather than at several times the cost.
 */
const MAX_ASPECT = 16 / 9;
/** Half of a box inside another is the same face seen at another scale (nonMaxSuppression). */
const NESTED_OVERLAP = 0.5;

const require = createRequire(import.meta.url);

/** Loads the WASM backend and the model; call once per worker. */
export async function loadTinyFaceDetector(): Promise<TinyFaceDetector> {
  const modelDir = path.join(
    path.dirname(require.resolve('@vladmandic/face-api/package.json')),
    'model',
  );
  // The node-wasm build requires @tensorflow/tfjs and tfjs-backend-wasm itself; resolving them
  // at run time (not bundling them) keeps one copy and lets setWasmPaths reach the same module.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNodeWasm;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as TfjsBackendWasm;

  // usePlatformFetch=false: the backend reads the .wasm file with fs instead of fetching a URL.
  wasm.setWasmPaths(wasmBinariesDir(), false);
  const { tf } = faceapi;
  if (!(await tf.setBackend('wasm'))) {
    throw new Error('TensorFlow.js could not start its WASM backend');
  }
  await tf.ready();
  const net = faceapi.nets.tinyFaceDetector;
  await net.loadFromDisk(modelDir);

  return {
    backend: tf.getBackend(),
    async detect(image, passes, minScore) {
      const pixels = tf.tensor3d(rgbValues(image), [image.height, image.width, 3], 'int32');
      try {
        const found: DetectedFace[] = [];
        for (const shortSide of passes) {
          found.push(...(await runPass(tf, net, pixels, image, shortSide, minScore)));
        }
        // The same face found in two passes is one face: keep the surer box.
        return nonMaxSuppression(found, net.config.iouThreshold, NESTED_OVERLAP);
      } finally {
        pixels.dispose();
      }
    },
  };
}

/** One run of the network with the image's shorter side scaled to `shortSide` pixels. */
async function runPass(
  tf: Tfjs,
  net: TinyFaceDetectorNet,
  pixels: Tensor,
  image: PixelImage,
  shortSide: number,
  minScore: number,
): Promise<DetectedFace[]> {
  const { width, height } = passSize(image, shortSide);
  const output = tf.tidy(() => {
    let input = tf.cast(pixels, 'float32');
    if (width !== image.width || height !== image.height) {
      input = tf.image.resizeBilinear(input, [height, width], false);
    }
    // face-api's own normalisation: subtract the training set's mean colour, scale to 0..1.
    const mean = tf.tensor1d(net.config.meanRgb, 'float32');
    const normalised = tf.div(tf.sub(input, mean), 255);
    return net.runMobilenet(tf.expandDims(normalised, 0), net.params);
  });
  try {
    const [, rows = 0, cols = 0] = output.shape;
    const values = await output.data();
    return decodeBoxes(values, { rows, cols }, net.config.anchors, minScore).map((box) => ({
      ...box,
      x: (box.x * image.width) / width,
      y: (box.y * image.height) / height,
      width: (box.width * image.width) / width,
      height: (box.height * image.height) / height,
    }));
  } finally {
    output.dispose();
  }
}

/** The network's input size for one pass: the shorter side at `shortSide`, aspect kept. */
export function passSize(
  image: { width: number; height: number },
  shortSide: number,
): { width: number; height: number } {
  const short = Math.min(image.width, image.height);
  const long = Math.max(image.width, image.height);
  const scale = Math.min(shortSide / short, (shortSide * MAX_ASPECT) / long);
  return {
    width: Math.max(CELL, Math.round(image.width * scale)),
    height: Math.max(CELL, Math.round(image.height * scale)),
  };
}

/**
 * Boxes from the network's grid (YOLOv2 encoding, as face-api decodes it), in the pixels of
 * the network's input. Cell (row, col) covers input pixels [32 col, 32 col + 32) across.
 */
export function decodeBoxes(
  values: ArrayLike<number>,
  grid: { rows: number; cols: number },
  anchors: readonly { x: number; y: number }[],
  minScore: number,
): DetectedFace[] {
  const boxes: DetectedFace[] = [];
  for (let row = 0; row < grid.rows; row += 1) {
    for (let col = 0; col < grid.cols; col += 1) {
      for (const [a, anchor] of anchors.entries()) {
        const at = ((row * grid.cols + col) * anchors.length + a) * BOX_VALUES;
        const score = sigmoid(values[at + 4]!);
        if (score <= minScore) continue;
        const centerX = (col + sigmoid(values[at]!)) * CELL;
        const centerY = (row + sigmoid(values[at + 1]!)) * CELL;
        const width = Math.exp(values[at + 2]!) * anchor.x * CELL;
        const height = Math.exp(values[at + 3]!) * anchor.y * CELL;
        boxes.push({ x: centerX - width / 2, y: centerY - height / 2, width, height, score });
      }
    }
  }
  return boxes;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/**
 * The tiny detector behind the face worker's seam (face-model.ts): each role's passes from
 * ANALYSIS. Not the kiosk's detector any more; kept for the side-by-side benchmark.
 */
export async function loadTinyFaceModel(): Promise<FaceModel> {
  const detector = await loadTinyFaceDetector();
  return {
    name: 'tiny-face-detector',
    backend: detector.backend,
    detect: (image, role, minScore) => detector.detect(image, ANALYSIS[role].passes, minScore),
  };
}
