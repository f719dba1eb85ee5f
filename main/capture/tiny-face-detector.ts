/**
 * The on-device face detector: @vladmandic/face-api's tiny face detector (190 KB of weights,
 * shipped inside the npm package) on TensorFlow.js's WASM backend. Runs inside the face worker.
 *
 * Everything is read from disk: the .wasm binaries from tfjs-backend-wasm's dist folder and
 * the weights from face-api's model folder. Nothing is fetched from the network, so the kiosk
 * detects faces with the branch offline, and packaging only has to ship node_modules.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PixelImage } from './types.js';

/** A face as the detector reports it, in the pixel coordinates of the image it was given. */
export interface DetectedFace {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface TinyFaceDetector {
  detect(image: PixelImage, inputSize: number, minScore: number): Promise<DetectedFace[]>;
  /** The TensorFlow.js backend in use ('wasm'), for the start-up log. */
  readonly backend: string;
}

/** The slice of face-api (and the tfjs it re-exports) this file uses; the package's own
 * types omit the backend functions of the node-wasm build. */
interface Tensor3D {
  dispose(): void;
}
interface FaceApiNodeWasm {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(values: Int32Array, shape: [number, number, number], dtype: 'int32'): Tensor3D;
  };
  nets: { tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> } };
  TinyFaceDetectorOptions: new (options: { inputSize: number; scoreThreshold: number }) => object;
  detectAllFaces(
    input: Tensor3D,
    options: object,
  ): PromiseLike<{ score: number; box: { x: number; y: number; width: number; height: number } }[]>;
}
interface TfjsBackendWasm {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}

const require = createRequire(import.meta.url);

/** Loads the WASM backend and the model; call once per worker. */
export async function loadTinyFaceDetector(): Promise<TinyFaceDetector> {
  const wasmDir = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  const modelDir = path.join(
    path.dirname(require.resolve('@vladmandic/face-api/package.json')),
    'model',
  );
  // The node-wasm build requires @tensorflow/tfjs and tfjs-backend-wasm itself; resolving them
  // at run time (not bundling them) keeps one copy and lets setWasmPaths reach the same module.
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNodeWasm;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as TfjsBackendWasm;

  // usePlatformFetch=false: the backend reads the .wasm file with fs instead of fetching a URL.
  wasm.setWasmPaths(`${wasmDir}${path.sep}`, false);
  if (!(await faceapi.tf.setBackend('wasm'))) {
    throw new Error('TensorFlow.js could not start its WASM backend');
  }
  await faceapi.tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);

  return {
    backend: faceapi.tf.getBackend(),
    async detect(image, inputSize, minScore) {
      const tensor = faceapi.tf.tensor3d(rgbValues(image), [image.height, image.width, 3], 'int32');
      try {
        const options = new faceapi.TinyFaceDetectorOptions({
          inputSize,
          scoreThreshold: minScore,
        });
        const found = await faceapi.detectAllFaces(tensor, options);
        return found.map(({ score, box }) => ({
          x: box.x,
          y: box.y,
          width: box.width,
          height: box.height,
          score,
        }));
      } finally {
        tensor.dispose();
      }
    },
  };
}

/** RGB values as the tensor wants them, dropping alpha in the same pass. */
function rgbValues(image: PixelImage): Int32Array {
  const pixels = image.width * image.height;
  const out = new Int32Array(pixels * 3);
  const { data, channels } = image;
  for (let p = 0, i = 0, o = 0; p < pixels; p += 1, i += channels, o += 3) {
    out[o] = data[i]!;
    out[o + 1] = data[i + 1]!;
    out[o + 2] = data[i + 2]!;
  }
  return out;
}
