/**
 * BlazeFace, the face detector the kiosk runs: the model file ships inside the npm package
 * @vladmandic/human (so nothing is downloaded at run time), run here on the same TensorFlow.js
 * WASM backend face-api used. Runs inside the face worker.
 *
 * Why BlazeFace: its input is always 256x256, so one run costs the same on a 320x240 guidance
 * frame and on a 1280x720 capture, and it finds faces from ~25 px of its input up to a
 * portrait filling the picture. The tiny face detector needed two or three passes at different
 * scales to cover that range (~70-90 ms per guidance frame). Side-by-side figures are in
 * BENCHMARKS.md (bench:capture).
 *
 * The network runs here directly (tfjs-converter's GraphModel), not through human.detect():
 * measured on a 320x180 frame, human's pipeline around the same model cost ~40% more
 * (71 against 43 ms on a loaded machine), and a guidance frame has to fit ten a second. The
 * decoding below is BlazeFace's own (as human's src/face/blazeface.ts reads it): 896 anchors
 * on a 16x16 and an 8x8 grid, each with a score logit, a box centre offset and a box size in
 * input pixels. The backend and the model files are read from disk (tfjs-runtime.ts).
 */
import { nonMaxSuppression, rgbValues, type DetectedFace, type FaceModel } from './face-model.js';
import { loadHumanModel, startTfjs, type Tensor } from './tfjs-runtime.js';

/** The model files the kiosk uses (electron-builder ships only these from human's models/). */
export const BLAZEFACE_MODEL_FILES = ['blazeface.json', 'blazeface.bin'] as const;

/** BlazeFace's input: 256x256 RGB, scaled to -1..1. */
const INPUT_SIZE = 256;
/** Per anchor: centre x and y offsets, width, height, six keypoints (x, y). */
const REGRESSORS = 16;
/** Up to five faces: the multiple-faces gate needs the second one. */
const MAX_FACES = 5;
/**
 * Anchors overlapping by more than this are one face (human's value for this model: BlazeFace
 * reports each face from many neighbouring anchors).
 */
const IOU_THRESHOLD = 0.1;
/**
 * BlazeFace's own box is tight around the eyes, nose and mouth: measured on the 14 demo faces
 * it is 0.8-0.85 of the face width the gates and the kiosk's face-size settings are stated in
 * (the tiny detector's box, forehead to chin). 1.2 brings it to that width.
 */
const BOX_SCALE = 1.2;

/** Loads the WASM backend and BlazeFace; call once per worker. */
export async function loadBlazeFace(): Promise<FaceModel> {
  const tf = await startTfjs();
  const model = await loadHumanModel(BLAZEFACE_MODEL_FILES[0]);
  const anchors = blazeFaceAnchors(INPUT_SIZE);

  return {
    name: 'blazeface',
    backend: tf.getBackend(),
    async detect(image, _role, minScore) {
      // Padded to a square in the top-left corner: the network is square and would otherwise
      // stretch a 16:9 frame (measured: boxes 15-40% too wide in 320x180 frames).
      const side = Math.max(image.width, image.height);
      const outputs = tf.tidy(() => {
        const pixels = tf.tensor4d(rgbValues(image, true), [1, side, side, 3], 'int32');
        const resized = tf.image.resizeBilinear(tf.cast(pixels, 'float32'), [
          INPUT_SIZE,
          INPUT_SIZE,
        ]);
        const result = model.execute(tf.sub(tf.div(resized, 127.5), 1));
        return Array.isArray(result) ? result : [result];
      });
      try {
        const output = await readOutputs(outputs);
        return decodeBlazeFace(output, anchors, minScore, side / INPUT_SIZE);
      } finally {
        for (const tensor of outputs) tensor.dispose();
      }
    },
  };
}

/** Anchor centres in input pixels: 2 per cell of a 16x16 grid, 6 per cell of an 8x8 grid. */
export function blazeFaceAnchors(inputSize: number): Float32Array {
  const grids = [
    { stride: inputSize / 16, perCell: 2 },
    { stride: inputSize / 8, perCell: 6 },
  ];
  const centres: number[] = [];
  for (const { stride, perCell } of grids) {
    const cells = Math.ceil(inputSize / stride);
    for (let row = 0; row < cells; row += 1) {
      for (let col = 0; col < cells; col += 1) {
        for (let n = 0; n < perCell; n += 1)
          centres.push(stride * (col + 0.5), stride * (row + 0.5));
      }
    }
  }
  return Float32Array.from(centres);
}

/** The network's answer, in anchor order (the 16x16 grid's 512, then the 8x8 grid's 384). */
export interface BlazeFaceOutput {
  /** One score logit per anchor. */
  logits: Float32Array;
  /** REGRESSORS per anchor: centre x and y offsets, width, height (input pixels), keypoints. */
  regressors: Float32Array;
}

/**
 * This model file (a PINTO conversion) answers with four tensors, scores and regressors for
 * each grid: [1, 512, 1], [1, 384, 1], [1, 512, 16], [1, 384, 16] in some order. Sorted by size
 * (as human sorts them) they are scores 384, scores 512, regressors 384, regressors 512.
 */
async function readOutputs(outputs: Tensor[]): Promise<BlazeFaceOutput> {
  const size = (t: Tensor) => t.shape.reduce((a, b) => a * b, 1);
  const sorted = [...outputs].sort((a, b) => size(a) - size(b));
  if (sorted.length !== 4) throw new Error(`BlazeFace gave ${outputs.length} outputs, not 4`);
  const [scores384, scores512, boxes384, boxes512] = await Promise.all(
    sorted.map(async (t) => Float32Array.from(await t.data())),
  );
  const logits = new Float32Array(scores512!.length + scores384!.length);
  logits.set(scores512!);
  logits.set(scores384!, scores512!.length);
  const regressors = new Float32Array(boxes512!.length + boxes384!.length);
  regressors.set(boxes512!);
  regressors.set(boxes384!, boxes512!.length);
  return { logits, regressors };
}

/**
 * Faces from the network's output, in the pixels of the image it was given (`scale`: image
 * pixels per input pixel), the surest first, overlapping anchors merged.
 */
export function decodeBlazeFace(
  output: BlazeFaceOutput,
  anchors: Float32Array,
  minScore: number,
  scale: number,
): DetectedFace[] {
  const candidates: DetectedFace[] = [];
  const count = anchors.length / 2;
  for (let i = 0; i < count; i += 1) {
    const score = 1 / (1 + Math.exp(-output.logits[i]!));
    if (score <= minScore) continue;
    const at = i * REGRESSORS;
    const centreX = output.regressors[at]! + anchors[2 * i]!;
    const centreY = output.regressors[at + 1]! + anchors[2 * i + 1]!;
    // Square, as human squares it, and widened to the gates' face width (BOX_SCALE).
    const size =
      Math.max(output.regressors[at + 2]!, output.regressors[at + 3]!) * BOX_SCALE * scale;
    candidates.push({
      x: centreX * scale - size / 2,
      y: centreY * scale - size / 2,
      width: size,
      height: size,
      score,
    });
  }
  return nonMaxSuppression(candidates, IOU_THRESHOLD, 0.5).slice(0, MAX_FACES);
}
