/**
 * What the customer's way through needs of a camera. DOM-free on purpose: the state machine
 * holds only this interface, so it runs in plain Node tests with a fake camera, and the browser
 * implementation (browser-camera.ts) stays the one place that touches getUserMedia.
 */

/** One RGBA frame, row-major, as the contract's analyze and capture commands take it. */
export interface RgbaFrame {
  width: number;
  height: number;
  /** Over an ArrayBuffer (not a shared one), as the contract's schema types it. */
  data: Uint8Array<ArrayBuffer>;
}

/**
 * The full-resolution capture as the browser encoded it: a JPEG at quality 0.95 (the contract's
 * capture takes this or an RgbaFrame). ~150 KB instead of 3.6 MB at 1280x720.
 */
export interface JpegFrame {
  width: number;
  height: number;
  encoding: 'jpeg';
  data: Uint8Array<ArrayBuffer>;
}

/** A full-resolution picture: the frame for the main process, and a URL for the review screen. */
export interface Picture {
  frame: RgbaFrame | JpegFrame;
  /** A blob: URL owned by the camera; give it back with forgetPicture. */
  url: string;
}

export interface CameraPort {
  /**
   * Opens the camera whose label is `preferredLabel` if there is one, else the first; resolves
   * with the label of the camera that opened. Rejects with a DOMException-like error whose
   * `name` says why (NotFoundError, NotAllowedError, ...). When `signal` aborts, a stream that
   * arrives late is stopped at once.
   */
  open(preferredLabel: string | null, signal: AbortSignal): Promise<{ label: string }>;
  /** Stops every track, clears the video's srcObject. Safe to repeat. */
  stop(): void;
  /** Calls `listener` when the open camera goes away (unplugged, track ended). */
  onLost(listener: () => void): () => void;
  /** A small frame for guidance (320 px on the long side), or null while the video has none. */
  grabGuidanceFrame(): RgbaFrame | null;
  /** The full-resolution frame and a preview URL of it. */
  grabPicture(): Promise<Picture>;
  /** Revokes a URL from grabPicture: the picture leaves the renderer's memory. */
  forgetPicture(url: string): void;
}

/** Why the camera cannot be used; each has its own words on the camera-problem screen. */
export const CAMERA_PROBLEMS = [
  'not-found',
  'not-allowed',
  'busy',
  'lost',
  'timeout',
  'other',
] as const;
export type CameraProblem = (typeof CAMERA_PROBLEMS)[number];

/** Reads getUserMedia's error names (a DOMException's `name`) as a camera problem. */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name =
    typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotAllowedError':
    case 'SecurityError':
      return 'not-allowed';
    // Another program holds the camera, or the driver failed to start it.
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    case 'TimeoutError':
      return 'timeout';
    default:
      return 'other';
  }
}
