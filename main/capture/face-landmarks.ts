/**
 * The face mesh and iris stage of the face worker: 468 mesh points from MediaPipe's face mesh
 * and the two irises from its iris model, the model files @vladmandic/human ships, run here on
 * the same tfjs WASM backend as BlazeFace (tfjs-runtime.ts). The points come out in Human's
 * 478-point layout: 0-467 the mesh, 468-472 the subject's left iris (centre first), 473-477 the
 * right one.
 *
 * The crop and decode maths are Human's (src/face/facemesh.ts, iris.ts, facemeshutil.ts, 3.3):
 * - the mesh sees the detector's box enlarged 1.4x (Human's detector.scale; our BlazeFace box is
 *   already 1.2x the network's, so 1.4 / 1.2 here), squared, cut and resized to 192x192, pixels
 *   scaled to 0..1; its points are in that 192-px crop (x, y, and z on the same scale);
 * - each eye is cut from that crop around its two corners (mesh 33-133 and 362-263), the box
 *   enlarged 2.3x and squared, resized to 64x64. The iris model knows one eye's shape: the
 *   subject's left eye is mirrored on the way in and its x mirrored back on the way out. (Human
 *   mirrors both crops and unmirrors only one; we mirror only the one it unmirrors.) Its 76
 *   points per eye are 71 eye contour points and 5 iris points; the eyelid contours replace the
 *   mesh's own (they are the finer ones) when the face looks straight at the camera, as Human
 *   does, and only the nearer eye's when the head is turned.
 * No rotation correction (Human's default is off too): measured on the demo faces, the mesh
 * reads heads rolled 15 degrees as well as upright ones (test/capture/face-measures.test.ts).
 */
import type { Rect } from './face-stats.js';
import { rgbValues } from './face-model.js';
import { loadHumanModel, type GraphModel, type Tensor, type TfjsCore } from './tfjs-runtime.js';
import type { PixelImage } from './types.js';

/** The model files this stage reads (electron-builder.yml ships them with blazeface.*). */
export const LANDMARK_MODEL_FILES = [
  'facemesh.json',
  'facemesh.bin',
  'iris.json',
  'iris.bin',
] as const;

/** 468 mesh points and 2 x 5 iris points. */
export const LANDMARK_COUNT = 478;

/** Points of one face, in the pixels of the image given. */
export interface FaceLandmarks {
  /** x, y, z for each of the 478 points; z on the same scale as x (depth, towards the camera < 0). */
  points: Float32Array;
  /** The mesh model's own confidence that a face is in its crop (0..1). */
  meshScore: number;
}

export interface FaceLandmarkModel {
  /** The 478 points of the face in `box` (a detector box in `image`'s pixels). */
  landmarks(image: PixelImage, box: Rect): Promise<FaceLandmarks>;
}

const MESH_SIZE = 192;
const IRIS_SIZE = 64;
/** Human's detector.scale (1.4) over our BlazeFace box scale (1.2, blazeface-detector.ts). */
const MESH_BOX_SCALE = 1.4 / 1.2;
/** Human's iris.scale: the eye box around the two corners, enlarged. */
const EYE_BOX_SCALE = 2.3;
/** Iris model output per eye: 71 contour points, then 5 iris points (centre first). */
const IRIS_POINTS = 76;
const IRIS_FIRST = 71;
/**
 * Eye corners per eye, and the mesh points its contours replace (Human's meshAnnotations
 * EyeUpper0 / EyeLower0) with the iris model's point indices for them (Human's irisIndices).
 */
const EYES = {
  left: {
    corners: [263, 362],
    upper0: [466, 388, 387, 386, 385, 384, 398],
    lower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
    mirrored: true,
  },
  right: {
    corners: [33, 133],
    upper0: [246, 161, 160, 159, 158, 157, 173],
    lower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
    mirrored: false,
  },
} as const;
const IRIS_UPPER0 = [9, 10, 11, 12, 13, 14, 15];
const IRIS_LOWER0 = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/**
 * Human's test for "looking straight": the two outer eye corners' depth differs by less than
 * this (in 192-px crop units); otherwise only the nearer eye's contours are replaced.
 */
const STRAIGHT_DEPTH_DIFFERENCE = 30;

/** Loads the face mesh and iris models; call once per worker, after the backend started. */
export async function loadFaceLandmarks(tf: TfjsCore): Promise<FaceLandmarkModel> {
  const [mesh, iris] = await Promise.all([
    loadHumanModel(LANDMARK_MODEL_FILES[0]),
    loadHumanModel(LANDMARK_MODEL_FILES[2]),
  ]);
  return {
    landmarks: (image, box) => runLandmarks(tf, mesh, iris, image, box),
  };
}

/** The square the mesh sees around a detector box (image pixels; may reach past the image). */
export function meshCrop(box: Rect): Rect {
  const side = Math.max(box.width, box.height) * MESH_BOX_SCALE;
  return {
    x: box.x + box.width / 2 - side / 2,
    y: box.y + box.height / 2 - side / 2,
    width: side,
    height: side,
  };
}

async function runLandmarks(
  tf: TfjsCore,
  mesh: GraphModel,
  iris: GraphModel,
  image: PixelImage,
  box: Rect,
): Promise<FaceLandmarks> {
  const crop = meshCrop(box);
  // Only the part of the image under the crop goes into a tensor (a 640-px ID photo frame is
  // ten times the face); where the crop runs past the image, cropAndResize fills black, as
  // Human's crop of the whole image does.
  const part = pixelsUnder(image, crop);
  const { width: w, height: h } = part.image;
  const face = tf.tidy(() => {
    const pixels = tf.cast(tf.tensor4d(rgbValues(part.image), [1, h, w, 3], 'int32'), 'float32');
    const x0 = crop.x - part.x;
    const y0 = crop.y - part.y;
    const cut = [y0 / h, x0 / w, (y0 + crop.height) / h, (x0 + crop.width) / w];
    return tf.div(tf.image.cropAndResize(pixels, [cut], [0], [MESH_SIZE, MESH_SIZE]), 255);
  });
  try {
    const outputs = mesh.execute(face);
    const list = Array.isArray(outputs) ? outputs : [outputs];
    let raw: Float32Array;
    let meshScore: number;
    try {
      const last = (t: Tensor) => t.shape[t.shape.length - 1];
      const meshT = list.find((t) => last(t) === 1404);
      const flagT = list.find((t) => last(t) === 1);
      if (meshT === undefined || flagT === undefined) throw new Error('unexpected mesh outputs');
      raw = Float32Array.from(await meshT.data());
      meshScore = (await flagT.data())[0]!;
    } finally {
      for (const t of list) t.dispose();
    }
    const points = new Float32Array(LANDMARK_COUNT * 3);
    points.set(raw);
    await addIrises(tf, iris, face, points);
    // From the 192-px crop to the image's pixels (z on the same scale as x).
    const scale = crop.width / MESH_SIZE;
    for (let i = 0; i < LANDMARK_COUNT; i += 1) {
      points[i * 3] = crop.x + points[i * 3]! * scale;
      points[i * 3 + 1] = crop.y + points[i * 3 + 1]! * scale;
      points[i * 3 + 2] = points[i * 3 + 2]! * scale;
    }
    return { points, meshScore: clamp01(meshScore) };
  } finally {
    face.dispose();
  }
}

/** The pixels of `image` inside `rect` (clipped to the image), and where they start. */
function pixelsUnder(image: PixelImage, rect: Rect): { image: PixelImage; x: number; y: number } {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.ceil(rect.y + rect.height));
  if (x1 - x0 < 1 || y1 - y0 < 1) return { image, x: 0, y: 0 };
  const { channels } = image;
  const width = x1 - x0;
  const data = new Uint8Array(width * (y1 - y0) * channels);
  for (let y = y0; y < y1; y += 1) {
    const from = (y * image.width + x0) * channels;
    data.set(image.data.subarray(from, from + width * channels), (y - y0) * width * channels);
  }
  return { image: { data, width, height: y1 - y0, channels }, x: x0, y: y0 };
}

interface EyeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Runs the iris model on both eyes and writes its points into `points` (192-px crop units). */
async function addIrises(
  tf: TfjsCore,
  iris: GraphModel,
  face: Tensor,
  points: Float32Array,
): Promise<void> {
  const boxes = {
    left: eyeBox(points, EYES.left.corners),
    right: eyeBox(points, EYES.right.corners),
  };
  const input = tf.tidy(() => {
    const crops = (['left', 'right'] as const).map((eye) => {
      const b = boxes[eye];
      const cut = [
        b.y / MESH_SIZE,
        b.x / MESH_SIZE,
        (b.y + b.height) / MESH_SIZE,
        (b.x + b.width) / MESH_SIZE,
      ];
      const crop = tf.image.cropAndResize(face, [cut], [0], [IRIS_SIZE, IRIS_SIZE]);
      return EYES[eye].mirrored ? tf.image.flipLeftRight(crop) : crop;
    });
    return tf.concat(crops, 0);
  });
  let data: Float32Array;
  try {
    const output = iris.execute(input);
    const list = Array.isArray(output) ? output : [output];
    try {
      // One tensor [2, 228] (both eyes); a conversion that splits it would have two.
      const parts = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
      data = concatFloat(parts);
    } finally {
      for (const t of list) t.dispose();
    }
  } finally {
    input.dispose();
  }
  if (data.length < 2 * IRIS_POINTS * 3) throw new Error('unexpected iris output');
  const eyes = {
    left: decodeEye(data.subarray(0, IRIS_POINTS * 3), boxes.left, EYES.left.mirrored),
    right: decodeEye(data.subarray(IRIS_POINTS * 3), boxes.right, EYES.right.mirrored),
  };
  // Human's rule: both eyes' contours when looking straight, else only the nearer eye's.
  const depthDifference =
    points[EYES.left.corners[0] * 3 + 2]! - points[EYES.right.corners[0] * 3 + 2]!;
  const replace: ('left' | 'right')[] =
    Math.abs(depthDifference) < STRAIGHT_DEPTH_DIFFERENCE
      ? ['left', 'right']
      : depthDifference < 1
        ? ['left']
        : ['right'];
  for (const eye of replace) {
    const decoded = eyes[eye];
    const pairs: [readonly number[], number[]][] = [
      [EYES[eye].upper0, IRIS_UPPER0],
      [EYES[eye].lower0, IRIS_LOWER0],
    ];
    for (const [meshIds, irisIds] of pairs) {
      meshIds.forEach((meshId, j) => {
        const from = irisIds[j]! * 3;
        points[meshId * 3] = decoded[from]!;
        points[meshId * 3 + 1] = decoded[from + 1]!;
      });
    }
  }
  // The iris points: x and y from the iris model; depth from the eyelids around them (the
  // model's own z is unreliable, Human notes).
  (['left', 'right'] as const).forEach((eye, n) => {
    const upperZ = points[EYES[eye].upper0[3] * 3 + 2]!;
    const lowerZ = points[EYES[eye].lower0[4] * 3 + 2]!;
    for (let k = 0; k < 5; k += 1) {
      const to = (468 + n * 5 + k) * 3;
      const from = (IRIS_FIRST + k) * 3;
      points[to] = eyes[eye][from]!;
      points[to + 1] = eyes[eye][from + 1]!;
      points[to + 2] = (upperZ + lowerZ) / 2;
    }
  });
}

/** Human's getEyeBox: the two corners' bounding box, enlarged 2.3x, squared, rounded. */
function eyeBox(points: Float32Array, corners: readonly [number, number]): EyeBox {
  const [a, b] = corners;
  const ax = points[a * 3]!;
  const ay = points[a * 3 + 1]!;
  const bx = points[b * 3]!;
  const by = points[b * 3 + 1]!;
  const cx = (ax + bx) / 2;
  const cy = (ay + by) / 2;
  const half = (Math.max(Math.abs(ax - bx), Math.abs(ay - by)) * EYE_BOX_SCALE) / 2;
  const x = Math.round(cx - half);
  const y = Math.round(cy - half);
  return { x, y, width: Math.round(cx + half) - x, height: Math.round(cy + half) - y };
}

/** The iris model's 76 points of one eye, from its 64-px crop to 192-px crop units. */
function decodeEye(data: Float32Array, box: EyeBox, mirrored: boolean): Float32Array {
  const out = new Float32Array(IRIS_POINTS * 3);
  for (let i = 0; i < IRIS_POINTS; i += 1) {
    const x = data[i * 3]! / IRIS_SIZE;
    out[i * 3] = (mirrored ? 1 - x : x) * box.width + box.x;
    out[i * 3 + 1] = (data[i * 3 + 1]! / IRIS_SIZE) * box.height + box.y;
    out[i * 3 + 2] = data[i * 3 + 2]!;
  }
  return out;
}

function concatFloat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
