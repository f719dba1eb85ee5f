/**
 * Face image quality measures named after the components of ISO/IEC 29794-5 as the BSI's
 * reference implementation OFIQ names them (HeadPose, EyesOpen, InterEyeDistance, HeadSize,
 * the crop margins, IlluminationUniformity, UnderExposurePrevention, OverExposurePrevention;
 * Sharpness and SingleFacePresent come from face-stats.ts and the detector). They follow the
 * standard's components; they are our own measurements on MediaPipe's mesh, not OFIQ's
 * algorithms, and NOT a conformance claim (that needs OFIQ itself). Pure functions over the 478
 * points of face-landmarks.ts and the pixels.
 *
 * The thresholds they are judged by are settings (model/quality-settings.ts), with their reasons.
 */
import type { PixelImage } from './types.js';

/** What the mesh stage measured on one face. Pixel values are in the image it was given. */
export interface LandmarkMeasures {
  /** HeadPose yaw, degrees: 0 facing the camera, positive with the nose towards the picture's right. */
  yaw: number;
  /** HeadPose pitch, degrees: about 0 level, positive with the chin raised. */
  pitch: number;
  /** HeadPose roll, degrees: 0 upright, positive with the head tilted clockwise in the picture. */
  roll: number;
  /** EyesOpen: the less open eye's aspect ratio (lid to lid / corner to corner), ~0.25-0.45 open. */
  eyesOpen: number;
  /** InterEyeDistance, pixels of the analysed image: iris centre to iris centre. */
  interEyeDistance: number;
  /** The mesh's extent (forehead to chin, cheek to cheek), pixels of the analysed image. */
  head: { x: number; y: number; width: number; height: number };
  /** IlluminationUniformity: mean luma of the darker half of the face / the brighter half (0..1, 1 even). */
  illuminationUniformity: number;
  /** UnderExposurePrevention, as the share (0..1) of face pixels near black (luma < 25). */
  underExposure: number;
  /** OverExposurePrevention, as the share (0..1) of face pixels near white (luma > 247). */
  overExposure: number;
  /** The mesh model's confidence that it saw a face (0..1). */
  meshScore: number;
}

/** Luma under this is "near black": the sensor's noise floor, no skin texture left (our value). */
export const UNDER_EXPOSED_LUMA = 25;
/** Luma over this is "near white": 8-bit JPEG highlights with ringing, detail gone (our value). */
export const OVER_EXPOSED_LUMA = 247;

/**
 * What the forehead-to-chin axis reads, in degrees of "chin down", on a level head: the top of
 * the forehead (mesh point 10) sits further back than the chin. Measured on the demo faces
 * looking about level into the camera (photo 5's faces 0, 1, 3: 5 to 9 degrees; the median of
 * all 14 is 14): 10, so a level head reads about 0.
 */
const PITCH_LEVEL = 10;

/** Mesh points used here (MediaPipe's canonical face mesh numbering). */
const FOREHEAD = 10;
const CHIN = 152;
const CHEEK_RIGHT = 234; // the subject's right: the picture's left
const CHEEK_LEFT = 454;
const RIGHT_EYE = { top: 159, bottom: 145, outer: 33, inner: 133 };
const LEFT_EYE = { top: 386, bottom: 374, inner: 362, outer: 263 };
const IRIS_LEFT = 468;
const IRIS_RIGHT = 473;
/** The face oval (Human's meshAnnotations.silhouette), in order around the face. */
const SILHOUETTE = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148,
  176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];

/** All measures of one face from its points and the pixels they were found in. */
export function measureLandmarks(
  image: PixelImage,
  points: Float32Array,
  meshScore: number,
): LandmarkMeasures {
  return {
    ...headPose(points),
    eyesOpen: eyesOpen(points),
    interEyeDistance: interEyeDistance(points),
    head: headBox(points),
    ...faceLighting(image, points),
    meshScore,
  };
}

/**
 * HeadPose. Yaw and pitch from four mesh points (forehead, chin, both cheeks) in 3-D, as Human's
 * calculateFaceAngle reads them: the face's axes, then Euler angles (YZX order). Roll from the
 * line between the irises. Degrees.
 */
export function headPose(points: Float32Array): { yaw: number; pitch: number; roll: number } {
  const at = (i: number): Vec => [points[i * 3]!, points[i * 3 + 1]!, points[i * 3 + 2]!];
  const yAxis = normalize(sub(at(CHIN), at(FOREHEAD)));
  let xAxis = normalize(sub(at(CHEEK_LEFT), at(CHEEK_RIGHT)));
  const zAxis = normalize(cross(xAxis, yAxis));
  xAxis = cross(yAxis, zAxis);
  const [r00] = xAxis;
  const [, r11, r12] = yAxis;
  const [r20] = zAxis;
  const thetaY = Math.atan2(-r20, r00);
  const thetaX = Math.atan2(-r12, r11);
  // Signs (checked on mirrored and rotated demo faces, test/capture/face-measures.test.ts): a
  // face turned to the picture's right brings its right cheek (the picture's left) nearer; a
  // bowed head brings the forehead nearer than the chin (MediaPipe's z grows away from the
  // camera). Roll is read from the line between the irises, the in-plane tilt the eyes show:
  // measured on the demo faces rotated by 10 and 15 degrees it follows the rotation more
  // closely than the mesh axes' roll, which a turned head pulls off.
  const [lx, ly] = [points[IRIS_LEFT * 3]!, points[IRIS_LEFT * 3 + 1]!];
  const [rx, ry] = [points[IRIS_RIGHT * 3]!, points[IRIS_RIGHT * 3 + 1]!];
  return {
    yaw: degrees(thetaY),
    pitch: PITCH_LEVEL + degrees(thetaX),
    roll: degrees(Math.atan2(ly - ry, lx - rx)),
  };
}

/** EyesOpen: for each eye, lid-to-lid over corner-to-corner distance; the smaller of the two. */
export function eyesOpen(points: Float32Array): number {
  const ratio = (eye: { top: number; bottom: number; inner: number; outer: number }) =>
    distance(points, eye.top, eye.bottom) / Math.max(1e-6, distance(points, eye.inner, eye.outer));
  return Math.min(ratio(RIGHT_EYE), ratio(LEFT_EYE));
}

/** InterEyeDistance: between the two iris centres, in pixels of the image measured. */
export function interEyeDistance(points: Float32Array): number {
  return distance(points, IRIS_LEFT, IRIS_RIGHT);
}

/** The mesh's bounding box (the face from forehead to chin), pixels of the image measured. */
export function headBox(points: Float32Array): LandmarkMeasures['head'] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < 468; i += 1) {
    x0 = Math.min(x0, points[i * 3]!);
    x1 = Math.max(x1, points[i * 3]!);
    y0 = Math.min(y0, points[i * 3 + 1]!);
    y1 = Math.max(y1, points[i * 3 + 1]!);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * IlluminationUniformity and the two exposure shares, sampled on a grid of about 48x48 inside
 * the face oval. Uniformity compares the two halves either side of the forehead-chin line, from
 * the eyes down (a side parting or a fringe over the forehead would read as uneven light); the
 * exposure shares count the whole oval.
 */
export function faceLighting(
  image: PixelImage,
  points: Float32Array,
): Pick<LandmarkMeasures, 'illuminationUniformity' | 'underExposure' | 'overExposure'> {
  const oval = SILHOUETTE.map((i) => [points[i * 3]!, points[i * 3 + 1]!] as const);
  const xs = oval.map(([x]) => x);
  const ys = oval.map(([, y]) => y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(image.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(image.height - 1, Math.ceil(Math.max(...ys)));
  const step = Math.max(1, Math.min(x1 - x0, y1 - y0) / 48);
  const top: Vec2 = [points[FOREHEAD * 3]!, points[FOREHEAD * 3 + 1]!];
  const axis: Vec2 = [points[CHIN * 3]! - top[0], points[CHIN * 3 + 1]! - top[1]];
  const axisLengthSq = Math.max(1e-6, axis[0] * axis[0] + axis[1] * axis[1]);
  const sums = [0, 0];
  const counts = [0, 0];
  let total = 0;
  let under = 0;
  let over = 0;
  const { data, channels, width } = image;
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      if (!insidePolygon(oval, x, y)) continue;
      const i = (Math.floor(y) * width + Math.floor(x)) * channels;
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      total += 1;
      if (luma < UNDER_EXPOSED_LUMA) under += 1;
      if (luma > OVER_EXPOSED_LUMA) over += 1;
      const dx = x - top[0];
      const dy = y - top[1];
      // How far down the face (0 forehead, 1 chin), and which side of the line.
      const along = (dx * axis[0] + dy * axis[1]) / axisLengthSq;
      if (along < 0.3) continue;
      const side = dx * axis[1] - dy * axis[0] > 0 ? 0 : 1;
      sums[side]! += luma;
      counts[side]! += 1;
    }
  }
  const means = [0, 1].map((s) => (counts[s]! > 0 ? sums[s]! / counts[s]! : 0));
  const brighter = Math.max(means[0]!, means[1]!);
  return {
    illuminationUniformity: brighter > 0 ? Math.min(means[0]!, means[1]!) / brighter : 0,
    underExposure: total > 0 ? under / total : 0,
    overExposure: total > 0 ? over / total : 0,
  };
}

type Vec = [number, number, number];
type Vec2 = readonly [number, number];

function degrees(radians: number): number {
  return Number.isFinite(radians) ? (radians * 180) / Math.PI : 0;
}

function sub(a: Vec, b: Vec): Vec {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function cross(a: Vec, b: Vec): Vec {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalize(v: Vec): Vec {
  const length = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / length, v[1] / length, v[2] / length];
}

function distance(points: Float32Array, a: number, b: number): number {
  return Math.hypot(points[a * 3]! - points[b * 3]!, points[a * 3 + 1]! - points[b * 3 + 1]!);
}

/** Even-odd rule. */
function insidePolygon(polygon: readonly Vec2[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
