/**
 * The detector's own arithmetic, without the model: the size of each pass, the boxes read from
 * the network's grid, and how boxes from several passes merge.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeBoxes,
  nonMaxSuppression,
  passSize,
  type DetectedFace,
} from '../../main/capture/tiny-face-detector.js';

function box(x: number, y: number, width: number, height: number, score: number): DetectedFace {
  return { x, y, width, height, score };
}

describe('passSize', () => {
  it('scales the shorter side to the pass and keeps the aspect ratio', () => {
    expect(passSize({ width: 320, height: 180 }, 450)).toEqual({ width: 800, height: 450 });
    expect(passSize({ width: 320, height: 240 }, 180)).toEqual({ width: 240, height: 180 });
    expect(passSize({ width: 960, height: 1280 }, 112)).toEqual({ width: 112, height: 149 });
  });

  it('looks at a panorama smaller rather than at many times the cost', () => {
    // 5:1: at most the pixels of a 16:9 image of the pass's short side (800 px long).
    expect(passSize({ width: 3000, height: 600 }, 450)).toEqual({ width: 800, height: 160 });
  });
});

describe('decodeBoxes', () => {
  it('reads a box from its cell and anchor, in the pixels of the network input', () => {
    const anchors = [
      { x: 1, y: 1 },
      { x: 2, y: 3 },
    ];
    const grid = { rows: 2, cols: 3 };
    const values = new Float32Array(grid.rows * grid.cols * anchors.length * 5).fill(-10);
    // Row 1, column 2, anchor 1: centred in its cell (sigmoid 0 = 0.5), anchor-sized, sure.
    const at = ((1 * grid.cols + 2) * anchors.length + 1) * 5;
    values.set([0, 0, 0, 0, 5], at);
    const [found, ...rest] = decodeBoxes(values, grid, anchors, 0.5);
    expect(rest).toEqual([]);
    expect(found!.x).toBeCloseTo(2.5 * 32 - 32, 5);
    expect(found!.y).toBeCloseTo(1.5 * 32 - 48, 5);
    expect([found!.width, found!.height]).toEqual([64, 96]);
    expect(found!.score).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
  });
});

describe('nonMaxSuppression', () => {
  it('keeps the surer of two boxes on the same face', () => {
    const kept = nonMaxSuppression(
      [box(100, 100, 50, 50, 0.7), box(104, 102, 50, 50, 0.9)],
      0.4,
      0.5,
    );
    expect(kept).toEqual([box(104, 102, 50, 50, 0.9)]);
  });

  it('merges a coarse pass’s box around the whole head into the face inside it', () => {
    // 0.29 of the frame around a 0.18 face: union 0.39, under face-api's 0.4.
    const face = box(100, 100, 18, 18, 0.7);
    const head = box(94.5, 94.5, 29, 29, 0.58);
    expect(nonMaxSuppression([head, face], 0.4, 0.5)).toEqual([face]);
  });

  it('keeps two people side by side, even touching', () => {
    const left = box(100, 100, 50, 50, 0.8);
    const right = box(140, 100, 50, 50, 0.9);
    expect(nonMaxSuppression([left, right], 0.4, 0.5)).toHaveLength(2);
  });
});
