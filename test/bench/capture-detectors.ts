/**
 * bench:capture part 5: the kiosk's detector (BlazeFace) against the one before it (face-api's
 * tiny face detector in its multi-pass setup), side by side in one process on the same frames:
 * time per frame at 320x240 and 640x480, faces found on the demo set at five face sizes, the
 * smallest face found. Both run on tfjs-backend-wasm in this thread (the kiosk runs its
 * detector in the face worker; the network's time is the same).
 */
import { loadBlazeFace } from '../../main/capture/blazeface-detector.js';
import type { FaceModel } from '../../main/capture/face-model.js';
import { GATES } from '../../main/capture/thresholds.js';
import { loadTinyFaceModel } from '../../main/capture/tiny-face-detector.js';
import type { PixelImage } from '../../main/capture/types.js';
import { CLEAR_FACES, framedFace } from '../helpers/faces.js';

export interface DetectorRow {
  measure: string;
  result: string;
  goal: string;
  met: boolean | null;
}

/** Face width / short side: a customer at ~150 cm, ~60 cm, ~30 cm, and portraits. */
const SHARES = [0.1, 0.16, 0.3, 0.55, 0.9] as const;
/** Searched downwards for the smallest face found, per demo face. */
const SMALL_SHARES = [0.16, 0.13, 0.11, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04] as const;
const SIZES = [
  { width: 320, height: 240 },
  { width: 640, height: 480 },
] as const;
const MIN_SCORE = GATES.selfie.minFaceScore;

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The face in the middle of the frame, not a patch at the edge. */
function foundCentred(
  faces: { x: number; y: number; width: number }[],
  image: PixelImage,
): boolean {
  return faces.some((f) => Math.abs((f.x + f.width / 2) / image.width - 0.5) < 0.15);
}

async function timePerFrame(model: FaceModel, frames: PixelImage[]): Promise<number> {
  for (const frame of frames.slice(0, 3)) await model.detect(frame, 'selfie', MIN_SCORE);
  const times: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    for (const frame of frames) {
      const started = performance.now();
      await model.detect(frame, 'selfie', MIN_SCORE);
      times.push(performance.now() - started);
    }
  }
  return p50(times);
}

export async function benchDetectors(progress: (line: string) => void): Promise<DetectorRow[]> {
  const models = [await loadTinyFaceModel(), await loadBlazeFace()] as const;
  const rows: DetectorRow[] = [];
  const times: Record<string, Record<string, number>> = {};
  for (const size of SIZES) {
    const frames = await Promise.all(
      CLEAR_FACES.map((face) => framedFace(face, { ...size, faceShare: 0.3 })),
    );
    for (const model of models) {
      const label = `${size.width}x${size.height}`;
      (times[model.name] ??= {})[label] = await timePerFrame(model, frames);
      progress(`  ${model.name} ${label}: ${times[model.name]![label]!.toFixed(1)} ms`);
    }
  }
  const [tiny, blaze] = models;
  for (const size of SIZES) {
    const label = `${size.width}x${size.height}`;
    const ratio = times[blaze.name]![label]! / times[tiny.name]![label]!;
    rows.push({
      measure: `detector p50 per ${label} frame: BlazeFace vs tiny face detector (selfie passes)`,
      result: `${times[blaze.name]![label]!.toFixed(1)} ms vs ${times[tiny.name]![label]!.toFixed(1)} ms (${ratio.toFixed(2)}x)`,
      goal: size.width === 320 ? '<= 0.7x' : '',
      met: size.width === 320 ? ratio <= 0.7 : null,
    });
  }

  // Faces found: each demo face at each share, in a 640x480 frame (the ID photo's analysis
  // size) and a 320x240 guidance frame, each detector with its own setup for the role.
  for (const size of SIZES) {
    const found: Record<string, number[]> = { [tiny.name]: [], [blaze.name]: [] };
    for (const share of SHARES) {
      const frames = await Promise.all(
        CLEAR_FACES.map((face) => framedFace(face, { ...size, faceShare: share })),
      );
      for (const model of models) {
        let count = 0;
        for (const frame of frames) {
          if (foundCentred(await model.detect(frame, 'id-photo', MIN_SCORE), frame)) count += 1;
        }
        found[model.name]!.push(count);
      }
    }
    const total = (name: string) => found[name]!.reduce((a, b) => a + b, 0);
    const cells = (name: string) => found[name]!.join(' / ');
    rows.push({
      measure: `faces found of ${CLEAR_FACES.length} at ${SHARES.join(' / ')} of the short side, ${size.width}x${size.height}: BlazeFace vs tiny`,
      result: `${cells(blaze.name)} (${total(blaze.name)}) vs ${cells(tiny.name)} (${total(tiny.name)})`,
      goal: 'at least as many',
      met: total(blaze.name) >= total(tiny.name),
    });
  }

  // The smallest face found, in pixels of a 640x480 frame: median over the demo faces.
  const smallest: Record<string, number[]> = { [tiny.name]: [], [blaze.name]: [] };
  for (const face of CLEAR_FACES) {
    for (const model of models) {
      let least = Infinity;
      for (const share of SMALL_SHARES) {
        const frame = await framedFace(face, { width: 640, height: 480, faceShare: share });
        if (!foundCentred(await model.detect(frame, 'selfie', MIN_SCORE), frame)) break;
        least = share * 480;
      }
      smallest[model.name]!.push(least);
    }
  }
  const px = (name: string) => {
    const value = p50(smallest[name]!);
    return Number.isFinite(value) ? `${value.toFixed(0)} px` : 'none';
  };
  rows.push({
    measure: 'smallest face found in a 640x480 frame (face width, median over the demo faces)',
    result: `BlazeFace ${px(blaze.name)}, tiny ${px(tiny.name)}`,
    goal: '',
    met: null,
  });
  return rows;
}
