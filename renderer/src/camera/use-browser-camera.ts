/**
 * The camera for the app's lifetime: one BrowserCamera, stopped when the app unmounts or the
 * page goes away, whatever state the machine was in.
 */
import { useEffect, useState } from 'react';
import { createBrowserCamera, type BrowserCamera } from './browser-camera.js';

export function useBrowserCamera(): BrowserCamera {
  const [camera] = useState(createBrowserCamera);
  useEffect(() => {
    const dispose = (): void => camera.dispose();
    window.addEventListener('pagehide', dispose);
    return () => {
      window.removeEventListener('pagehide', dispose);
      dispose();
    };
  }, [camera]);
  return camera;
}
