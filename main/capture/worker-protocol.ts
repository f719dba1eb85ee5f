/**
 * Messages between the main process and the face worker. Pixels travel as transferred
 * ArrayBuffers: the sender gives them up, nothing is copied.
 */
import type { Detection } from './quality-gates.js';

export interface DetectRequest {
  type: 'detect';
  id: number;
  width: number;
  height: number;
  channels: 3 | 4;
  /** Transferred: width * height * channels bytes. */
  pixels: ArrayBuffer;
  /** The detector's passes: each the short side, in pixels, the image is scaled to. */
  passes: number[];
  minScore: number;
}

export interface CloseRequest {
  type: 'close';
}

export type WorkerRequest = DetectRequest | CloseRequest;

export type WorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'fatal'; message: string }
  | { type: 'detected'; id: number; detection: Detection }
  | { type: 'failed'; id: number; message: string };
