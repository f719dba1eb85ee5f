/**
 * Messages between the main process and the face worker. Pixels travel as transferred
 * ArrayBuffers: the sender gives them up, nothing is copied.
 */
import type { Detection } from './quality-gates.js';
import type { GateThresholds } from './thresholds.js';
import type { CaptureRole } from './types.js';

export interface DetectRequest {
  type: 'detect';
  id: number;
  width: number;
  height: number;
  channels: 3 | 4;
  /** Transferred: width * height * channels bytes. */
  pixels: ArrayBuffer;
  /** What the image is: the detector may look at a selfie and an ID photo differently. */
  role: CaptureRole;
  minScore: number;
  /**
   * Run the face mesh and iris on the main face when it passes these gates (count, size,
   * position, light; not focus): the mesh costs ~20-30 ms, spent only on a face worth it.
   * Null: never.
   */
  landmarkGates: GateThresholds | null;
}

export interface CloseRequest {
  type: 'close';
}

export type WorkerRequest = DetectRequest | CloseRequest;

export type WorkerReply =
  | { type: 'ready'; model: string; backend: string }
  | { type: 'fatal'; message: string }
  | { type: 'detected'; id: number; detection: Detection }
  | { type: 'failed'; id: number; message: string };
