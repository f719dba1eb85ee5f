/**
 * Pixel measurements of one face: brightness, contrast, blown-out share and sharpness.
 * Pure functions over RGB(A) pixels; the face worker runs them next to the detector.
 */
import { FACE_SAMPLE } from './thresholds.js';
import type { PixelImage } from './types.js';

export interface FaceStats {
  brightness: number;
  contrast: number;
  clippedFraction: number;
  sharpness: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Measures the face inside `box` (pixel coordinates of `image`). */
export function measureFace(image: PixelImage, box: Rect): FaceStats {
  const region = innerRegion(image, box);
  return statsOf(lumaOf(image, region), region.width, region.height);
}

/**
 * Measures a face sample already cut to the inner face (the final capture cuts it from the
 * full-resolution image with sharp, so sharpness sees every pixel the vendor will get).
 */
export function measureFaceSample(sample: PixelImage): FaceStats {
  const whole = { x: 0, y: 0, width: sample.width, height: sample.height };
  return statsOf(lumaOf(sample, whole), sample.width, sample.height);
}

function statsOf(luma: Float32Array, width: number, height: number): FaceStats {
  let sum = 0;
  let sumSq = 0;
  let clipped = 0;
  for (const value of luma) {
    sum += value;
    sumSq += value * value;
    if (value >= FACE_SAMPLE.clippedLuma) clipped += 1;
  }
  const n = Math.max(1, luma.length);
  const mean = sum / n;
  return {
    brightness: mean,
    contrast: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
    clippedFraction: clipped / n,
    sharpness: sharpnessOf(luma, width, height),
  };
}

/**
 * Laplacian variance of the face resampled to FACE_SAMPLE.side. Enlarging a face smaller than
 * that (a customer at 80 cm is ~25-35 px across inside a 320-px guidance frame) smooths away
 * the detail being measured, in proportion to the enlargement: the variance is scaled back by
 * it. Measured on the 14 demo faces at 80 cm in 320x180 frames: sharp 21-138 unscaled (a third
 * under minSharpness), 54-353 scaled; blurred by 1 px (6 px at 1080p) 7-13, scaled 18-33.
 */
function sharpnessOf(luma: Float32Array, width: number, height: number): number {
  const side = FACE_SAMPLE.side;
  const enlargement = Math.max(1, side / Math.sqrt(width * height));
  return laplacianVariance(resample(luma, width, height, side), side) * enlargement;
}

/**
 * The middle of the box, clipped to the image. The detector's box reaches into hair and
 * background at its corners; the inner part is skin and features, which is what lighting and
 * focus are judged on.
 */
export function innerRegion(image: { width: number; height: number }, box: Rect): Rect {
  const inset = FACE_SAMPLE.inset;
  const x0 = Math.min(image.width - 1, Math.max(0, Math.floor(box.x + box.width * inset)));
  const y0 = Math.min(image.height - 1, Math.max(0, Math.floor(box.y + box.height * inset)));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width * (1 - inset)));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height * (1 - inset)));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** BT.601 luma, the weighting JPEG itself uses. */
function lumaOf(image: PixelImage, region: Rect): Float32Array {
  const out = new Float32Array(region.width * region.height);
  const { data, channels, width } = image;
  let o = 0;
  for (let y = region.y; y < region.y + region.height; y += 1) {
    let i = (y * width + region.x) * channels;
    for (let x = 0; x < region.width; x += 1, i += channels) {
      out[o++] = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    }
  }
  return out;
}

/**
 * Resamples to side x side: a box average when shrinking, bilinear when enlarging (nearest
 * neighbour would add stair-step edges that read as sharpness). A fixed size makes sharpness
 * comparable across face sizes: the same face at twice the pixels would otherwise look half as
 * sharp.
 */
function resample(src: Float32Array, width: number, height: number, side: number): Float32Array {
  if (width < side || height < side) return bilinear(src, width, height, side);
  const out = new Float32Array(side * side);
  for (let ty = 0; ty < side; ty += 1) {
    const sy0 = Math.floor((ty * height) / side);
    const sy1 = Math.max(sy0 + 1, Math.floor(((ty + 1) * height) / side));
    for (let tx = 0; tx < side; tx += 1) {
      const sx0 = Math.floor((tx * width) / side);
      const sx1 = Math.max(sx0 + 1, Math.floor(((tx + 1) * width) / side));
      let sum = 0;
      for (let y = sy0; y < sy1; y += 1) {
        for (let x = sx0; x < sx1; x += 1) sum += src[y * width + x]!;
      }
      out[ty * side + tx] = sum / ((sy1 - sy0) * (sx1 - sx0));
    }
  }
  return out;
}

function bilinear(src: Float32Array, width: number, height: number, side: number): Float32Array {
  const out = new Float32Array(side * side);
  for (let ty = 0; ty < side; ty += 1) {
    const fy = Math.min(height - 1, Math.max(0, ((ty + 0.5) * height) / side - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = fy - y0;
    for (let tx = 0; tx < side; tx += 1) {
      const fx = Math.min(width - 1, Math.max(0, ((tx + 0.5) * width) / side - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = fx - x0;
      const top = src[y0 * width + x0]! * (1 - wx) + src[y0 * width + x1]! * wx;
      const bottom = src[y1 * width + x0]! * (1 - wx) + src[y1 * width + x1]! * wx;
      out[ty * side + tx] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Variance of the 4-neighbour Laplacian: edges and texture score high, blur scores low. */
function laplacianVariance(src: Float32Array, side: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < side - 1; y += 1) {
    for (let x = 1; x < side - 1; x += 1) {
      const c = y * side + x;
      const lap = src[c - 1]! + src[c + 1]! + src[c - side]! + src[c + side]! - 4 * src[c]!;
      sum += lap;
      sumSq += lap * lap;
      n += 1;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
