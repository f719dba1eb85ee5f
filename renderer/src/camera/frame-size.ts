/** The sizes frames are grabbed at: small for guidance, full for the capture. Pure arithmetic. */
import { CAPTURE_FRAME_MAX_SIDE } from '../../../preload/border.js';

export interface Size {
  width: number;
  height: number;
}

/** Guidance frames: the pipeline finds a face as well at 320 px, and ten a second stay cheap. */
export const GUIDANCE_LONG_SIDE = 320;

/** The capture's largest side: the contract refuses anything larger. */
export const CAPTURE_MAX_SIDE = CAPTURE_FRAME_MAX_SIDE;

/** Scales so the long side is `longSide`, keeping the aspect ratio. */
export function scaledToLongSide(size: Size, longSide: number): Size {
  const scale = longSide / Math.max(size.width, size.height);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

export function guidanceSize(video: Size): Size {
  return scaledToLongSide(video, GUIDANCE_LONG_SIDE);
}

/** The video's own size, unless it is over the contract's limit (a 5K camera). */
export function captureSize(video: Size): Size {
  return Math.max(video.width, video.height) <= CAPTURE_MAX_SIDE
    ? { width: video.width, height: video.height }
    : scaledToLongSide(video, CAPTURE_MAX_SIDE);
}
