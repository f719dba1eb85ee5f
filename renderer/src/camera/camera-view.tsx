/**
 * The live preview with its guide: the camera's own <video> element, moved into this box, so
 * the stream survives from one picture to the next. The box takes the video's aspect ratio, so
 * the guide sits where the customer's face or ID really is in the frame.
 */
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { BrowserCamera } from './browser-camera.js';

export type GuideShape = 'oval' | 'card';

interface CameraViewProps {
  camera: BrowserCamera;
  /** The selfie is shown as in a mirror; the ID is not (its text would read backwards). */
  mirrored: boolean;
  guide: GuideShape;
  /** The last guidance answer was "ok": the guide turns green. */
  good: boolean;
}

export function CameraView({ camera, mirrored, guide, good }: CameraViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const [aspect, setAspect] = useState<number | null>(null);

  useEffect(() => {
    const holder = box.current;
    if (holder === null) return;
    const video = camera.video;
    holder.prepend(video);
    const measure = (): void => {
      if (video.videoWidth > 0 && video.videoHeight > 0) {
        setAspect(video.videoWidth / video.videoHeight);
      }
    };
    measure();
    video.addEventListener('loadedmetadata', measure);
    video.addEventListener('resize', measure);
    // Moving a <video> pauses it.
    video.play().catch(() => undefined);
    return () => {
      video.removeEventListener('loadedmetadata', measure);
      video.removeEventListener('resize', measure);
      video.remove();
    };
  }, [camera]);

  const classes = ['camera', mirrored ? 'camera-mirrored' : '', good ? 'camera-good' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      ref={box}
      className={classes}
      // A CSS custom property through the CSSOM: allowed by the style-src CSP.
      style={aspect === null ? undefined : ({ '--camera-aspect': aspect } as CSSProperties)}
    >
      <div className={`guide guide-${guide}`} aria-hidden="true" />
    </div>
  );
}
