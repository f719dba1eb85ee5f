/**
 * BlazeFace, the face detector the kiosk runs, through @vladmandic/human (which ships the model
 * inside the npm package, so nothing is downloaded at run time) on the same TensorFlow.js WASM
 * backend face-api uses. Runs inside the face worker.
 *
 * Why BlazeFace: its input is always 256x256, so one run costs the same (~25 ms here) on a
 * 320x240 guidance frame and on a 1280x720 capture, and it finds faces from ~25 px of its
 * input up to a portrait filling the picture. The tiny face detector needed two or three passes
 * at different scales to cover that range (~70-90 ms per guidance frame). Side-by-side figures
 * are in BENCHMARKS.md (bench:capture).
 *
 * Three traps, each handled below:
 * - human's default WASM path is a CDN: `wasmPath` points at tfjs-backend-wasm's own dist/.
 * - its Node WASM build loads models with fetch(), which in Node 20 refuses file:// URLs: a
 *   tfjs IO router reads the model files from disk instead.
 * - its package `exports` lack the "./" prefix on the node-wasm entry, so that file is
 *   resolved from the package's folder, not by its subpath.
 * human also caches detections between frames by default (skipFrames, skipTime,
 * cacheSensitivity): all off, so every frame is looked at afresh and one customer's face can
 * never answer for the next frame.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rgbValues, type DetectedFace, type FaceModel } from './face-model.js';

/** The slice of human's API this file uses (its own types pull in all of tfjs's). */
interface Tensor {
  dispose(): void;
}
interface HumanFace {
  /** [x, y, width, height] in the input's pixels. */
  box: [number, number, number, number];
  score: number;
  boxScore?: number;
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: Tensor, config?: object): Promise<{ face: HumanFace[]; error?: string | null }>;
  tf: {
    getBackend(): string;
    tensor4d(values: Int32Array, shape: [number, number, number, number], dtype: 'int32'): Tensor;
  };
}
interface HumanModule {
  Human: new (config: object) => HumanInstance;
}
interface ModelArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}
interface TfjsCore {
  io: {
    registerLoadRouter(
      router: (url: string | string[]) => { load(): Promise<ModelArtifacts> } | null,
    ): void;
  };
}
interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: unknown;
  modelInitializer?: unknown;
}

/** The model files the kiosk uses (electron-builder ships only these from human's models/). */
export const BLAZEFACE_MODEL_FILES = ['blazeface.json', 'blazeface.bin'] as const;

/**
 * Up to five faces: the multiple-faces gate needs the second one, and more than five people in
 * front of one kiosk changes nothing.
 */
const MAX_FACES = 5;
/** human's own overlap threshold for merging BlazeFace's anchor boxes into one face. */
const IOU_THRESHOLD = 0.1;
/** See the detector's `scale` below. */
const BOX_SCALE = 1.2;

const require = createRequire(import.meta.url);

/** Loads the WASM backend and BlazeFace; call once per worker. */
export async function loadBlazeFace(): Promise<FaceModel> {
  const wasmDir = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  // The package's `require` entry is dist/human.node.js (for tfjs-node); only its folder is
  // wanted here.
  const humanDir = path.dirname(path.dirname(require.resolve('@vladmandic/human')));
  registerFileLoader(require('@tensorflow/tfjs-core') as TfjsCore);
  const { Human } = require(path.join(humanDir, 'dist', 'human.node-wasm.js')) as HumanModule;

  const human = new Human({
    backend: 'wasm',
    // The .wasm binaries are read from disk (wasmPlatformFetch: false), never a CDN.
    wasmPath: `${wasmDir}${path.sep}`,
    wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(path.join(humanDir, 'models') + path.sep).href,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    // No result carried from one frame to the next (see the header).
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: BLAZEFACE_MODEL_FILES[0],
        rotation: false,
        maxDetected: MAX_FACES,
        skipFrames: 0,
        skipTime: 0,
        iouThreshold: IOU_THRESHOLD,
        // BlazeFace's own box is tight around the eyes, nose and mouth: measured on the 14 demo
        // faces it is 0.8-0.85 of the face width the gates and the kiosk's face-size settings
        // are stated in (the tiny detector's box, forehead to chin). 1.2 brings it to that width
        // (human's default 1.4 is a crop for its face mesh).
        scale: BOX_SCALE,
        // detect() pads the image to a square itself: human's own padding misplaces the boxes
        // (its source says "TODO fix this math"), and without padding a 16:9 frame is
        // stretched, which made boxes 15-40% too large in 320x180 frames.
        square: false,
        return: false,
      },
      mesh: { enabled: false },
      iris: { enabled: false },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  const backend = human.tf.getBackend();
  if (backend !== 'wasm') throw new Error(`BlazeFace started on '${backend}', not 'wasm'`);

  return {
    name: 'blazeface',
    backend,
    async detect(image, _role, minScore) {
      const side = Math.max(image.width, image.height);
      const input = human.tf.tensor4d(rgbValues(image, true), [1, side, side, 3], 'int32');
      try {
        const result = await human.detect(input, {
          face: { detector: { minConfidence: minScore } },
        });
        if (result.error) throw new Error(`BlazeFace failed: ${result.error}`);
        return result.face.map(toDetectedFace);
      } finally {
        input.dispose();
      }
    },
  };
}

/** human's box as the gates read it; a box reaching past an edge is left so (the gates judge it). */
function toDetectedFace(face: HumanFace): DetectedFace {
  const [x, y, width, height] = face.box;
  return { x, y, width, height, score: face.boxScore ?? face.score };
}

/**
 * Reads tfjs graph models from file:// URLs (model.json and its weight shards) for
 * tf.loadGraphModel, which in Node without tfjs-node only knows http(s) and the browser's
 * stores. Registered once per thread.
 */
function registerFileLoader(tf: TfjsCore): void {
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file:')) return null;
    return { load: () => readModel(fileURLToPath(url)) };
  });
}

async function readModel(file: string): Promise<ModelArtifacts> {
  const json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  const dir = path.dirname(file);
  const shards: Buffer[] = [];
  const weightSpecs: unknown[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) shards.push(await readFile(path.join(dir, shard)));
    weightSpecs.push(...group.weights);
  }
  const weights = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer,
  };
}
