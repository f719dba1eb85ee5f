/**
 * TensorFlow.js in the face worker: the WASM backend started once, and graph models read from
 * the files @vladmandic/human ships (BlazeFace, the face mesh, iris), never the network.
 * Traps avoided: the .wasm files and the models are read from disk (a tfjs IO router for
 * file:// URLs; Node 20's fetch refuses them), and human's package `exports` lack the "./"
 * prefix, so its folder is found from its `require` entry. The router is registered once per
 * thread: tfjs refuses a URL that two routers claim.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { wasmBinariesDir } from './face-model.js';

/** The slice of TensorFlow.js the worker uses (its own types are not installed as a dependency). */
export interface Tensor {
  readonly shape: number[];
  data(): Promise<Float32Array | Int32Array | Uint8Array>;
  dispose(): void;
}
export interface GraphModel {
  execute(input: Tensor): Tensor | Tensor[];
  readonly inputs: { shape?: number[] }[];
}
export interface TfjsCore {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tidy<T extends Tensor | Tensor[]>(fn: () => T): T;
  tensor4d(values: Int32Array, shape: [number, number, number, number], dtype: 'int32'): Tensor;
  cast(x: Tensor, dtype: 'float32'): Tensor;
  div(a: Tensor, b: number): Tensor;
  sub(a: Tensor, b: number): Tensor;
  concat(tensors: Tensor[], axis?: number): Tensor;
  image: {
    resizeBilinear(x: Tensor, size: [number, number], alignCorners?: boolean): Tensor;
    /** boxes: [y1, x1, y2, x2] as shares of the image's height and width. */
    cropAndResize(
      image: Tensor,
      boxes: number[][],
      boxInd: number[],
      cropSize: [number, number],
    ): Tensor;
    flipLeftRight(image: Tensor): Tensor;
  };
  io: {
    registerLoadRouter(
      router: (url: string | string[]) => { load(): Promise<ModelArtifacts> } | null,
    ): void;
  };
}
interface TfjsConverter {
  loadGraphModel(url: string): Promise<GraphModel>;
}
interface TfjsBackendWasm {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}
/** model.json as tfjs-converter writes it. */
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
/** What a tfjs IO handler's load() gives: the JSON with its weight shards read and joined. */
type ModelArtifacts = Omit<ModelJson, 'weightsManifest'> & {
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
};

const require = createRequire(import.meta.url);

let started: Promise<TfjsCore> | null = null;

/** The WASM backend, started on the first call of this thread; later calls share it. */
export function startTfjs(): Promise<TfjsCore> {
  started ??= (async () => {
    const tf = require('@tensorflow/tfjs-core') as TfjsCore;
    const wasm = require('@tensorflow/tfjs-backend-wasm') as TfjsBackendWasm;
    // usePlatformFetch=false: the backend reads the .wasm file with fs instead of fetching a URL.
    wasm.setWasmPaths(wasmBinariesDir(), false);
    if (!(await tf.setBackend('wasm'))) {
      throw new Error('TensorFlow.js could not start its WASM backend');
    }
    await tf.ready();
    registerFileLoader(tf);
    return tf;
  })();
  return started;
}

/** One of the models in @vladmandic/human's models/ folder (e.g. 'facemesh.json'), from disk. */
export async function loadHumanModel(file: string): Promise<GraphModel> {
  await startTfjs();
  // The package's `require` entry is dist/human.node.js (for tfjs-node); only its folder is
  // wanted here.
  const humanDir = path.dirname(path.dirname(require.resolve('@vladmandic/human')));
  const converter = require('@tensorflow/tfjs-converter') as TfjsConverter;
  return converter.loadGraphModel(pathToFileURL(path.join(humanDir, 'models', file)).href);
}

/** The folder of human's model files, for the benchmark's byte count. */
export function humanModelsDir(): string {
  return path.join(path.dirname(path.dirname(require.resolve('@vladmandic/human'))), 'models');
}

/**
 * Reads tfjs graph models from file:// URLs (model.json and its weight shards) for
 * tf.loadGraphModel, which in Node without tfjs-node only knows http(s) and the browser's
 * stores.
 */
function registerFileLoader(tf: Pick<TfjsCore, 'io'>): void {
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
  const { weightsManifest: _manifest, ...rest } = json;
  return {
    ...rest,
    weightSpecs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  };
}
