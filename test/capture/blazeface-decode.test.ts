/**
 * BlazeFace's output decoding on its own (the network itself is exercised by every capture
 * test with real faces): the anchor grid, a box from one anchor, and neighbouring anchors that
 * report the same face merged into one.
 */
import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors, decodeBlazeFace } from '../../main/capture/blazeface-detector.js';

const anchors = blazeFaceAnchors(256);

function output(hits: { anchor: number; logit: number; dx: number; dy: number; size: number }[]) {
  const logits = new Float32Array(896).fill(-10);
  const regressors = new Float32Array(896 * 16);
  for (const hit of hits) {
    logits[hit.anchor] = hit.logit;
    regressors.set([hit.dx, hit.dy, hit.size, hit.size], hit.anchor * 16);
  }
  return { logits, regressors };
}

describe('BlazeFace decoding', () => {
  it('has 896 anchors: two per cell of a 16x16 grid, then six per cell of an 8x8 grid', () => {
    expect(anchors.length / 2).toBe(896);
    expect([anchors[0], anchors[1]]).toEqual([8, 8]); // first 16-px cell's centre
    expect([anchors[2 * 512], anchors[2 * 512 + 1]]).toEqual([16, 16]); // first 32-px cell
  });

  it('places a box at its anchor plus the offset, 1.2x its size, in image pixels', () => {
    // Anchor 2 * (16 * 7 + 8) sits at (136, 120) in the 256-px input; the image is 512 px.
    const anchor = 2 * (16 * 7 + 8);
    const [face] = decodeBlazeFace(
      output([{ anchor, logit: 3, dx: 4, dy: -2, size: 50 }]),
      anchors,
      0.5,
      2,
    );
    expect(face!.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 5);
    expect(face!.width).toBeCloseTo(50 * 1.2 * 2, 3);
    expect(face!.x + face!.width / 2).toBeCloseTo((136 + 4) * 2, 3);
    expect(face!.y + face!.height / 2).toBeCloseTo((120 - 2) * 2, 3);
  });

  it('drops anchors under the score and merges neighbours that report the same face', () => {
    const a = 2 * (16 * 7 + 8);
    const faces = decodeBlazeFace(
      output([
        { anchor: a, logit: 3, dx: 0, dy: 0, size: 50 },
        { anchor: a + 1, logit: 2, dx: 1, dy: 1, size: 48 },
        { anchor: a + 2, logit: 2.5, dx: 0, dy: 0, size: 50 }, // the next cell, same face
        { anchor: 10, logit: -1, dx: 0, dy: 0, size: 40 }, // under 0.5
        { anchor: 2 * (16 * 7 + 1), logit: 1, dx: 0, dy: 0, size: 40 }, // another face, left
      ]),
      anchors,
      0.5,
      1,
    );
    expect(faces).toHaveLength(2);
    expect(faces[0]!.score).toBeGreaterThan(faces[1]!.score);
  });
});
