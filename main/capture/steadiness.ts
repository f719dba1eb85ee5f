/**
 * Steadiness across consecutive live frames: the customer has to hold still for a moment
 * before "ok", so the full-resolution capture that follows sees the same sharp face.
 */
import { guidanceMessage } from './guidance-messages.js';
import { STEADINESS } from './thresholds.js';
import type { FrameAnalysis, QualityReport } from './types.js';

interface LastFace {
  centerX: number;
  centerY: number;
  width: number;
  at: number;
}

export class SteadinessTracker {
  #last: LastFace | null = null;
  #steadyFrames = 0;

  /** Adds one frame's report; turns an "ok" into "hold-still" until the face has been steady. */
  observe(report: QualityReport, at: number): FrameAnalysis {
    const box = report.mainFace?.box;
    if (box === undefined) {
      this.reset();
      return { ...report, movement: null, steadyFrames: 0 };
    }
    const face: LastFace = {
      centerX: box.x + box.width / 2,
      centerY: box.y + box.height / 2,
      width: box.width,
      at,
    };
    const last = this.#last;
    this.#last = face;
    let movement: number | null = null;
    if (last === null || at - last.at > STEADINESS.maxGapMs) {
      this.#steadyFrames = 1;
    } else {
      movement = Math.hypot(face.centerX - last.centerX, face.centerY - last.centerY) / face.width;
      const sizeChange = Math.abs(face.width - last.width) / last.width;
      const steady = movement <= STEADINESS.maxMovement && sizeChange <= STEADINESS.maxSizeChange;
      this.#steadyFrames = steady ? this.#steadyFrames + 1 : 1;
    }
    const analysis = { ...report, movement, steadyFrames: this.#steadyFrames };
    if (report.verdict === 'ok' && this.#steadyFrames < STEADINESS.framesNeeded) {
      return {
        ...analysis,
        verdict: 'hold-still',
        message: guidanceMessage(report.role, 'hold-still'),
      };
    }
    return analysis;
  }

  /** Forget the previous frames (a new customer, or the face left the frame). */
  reset(): void {
    this.#last = null;
    this.#steadyFrames = 0;
  }
}
