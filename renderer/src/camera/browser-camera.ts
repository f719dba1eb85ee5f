/**
 * The camera in the browser: getUserMedia, one <video> element that the capture screens show,
 * and canvases to grab frames from it. The only file that touches getUserMedia; every way out
 * (stop, a failed or abandoned open) stops every track, so the camera light goes off.
 */
import type { CameraPort, JpegFrame, Picture, RgbaFrame } from './camera-port.js';
import { captureSize, guidanceSize, type Size } from './frame-size.js';

export interface BrowserCamera extends CameraPort {
  /** The live preview; CameraView puts it on screen. */
  readonly video: HTMLVideoElement;
  /** Stops the camera and revokes every picture URL still held: the page is going away. */
  dispose(): void;
}

/**
 * JPEG quality of the capture: the same JPEG goes to the main process (which decodes it, checks
 * it and makes the vendor's JPEG from it) and to the review screen. At 0.95 the sharpness the
 * gates measure and the vendor sees is kept; it is ~150 KB at 1280x720 where the raw RGBA
 * frame is 3.6 MB.
 */
const CAPTURE_QUALITY = 0.95;

function named(name: string, message: string): Error {
  return new DOMException(message, name);
}

function release(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** Rejects (and later stops a stream that arrives anyway) when `signal` aborts. */
function unlessAborted(pending: Promise<MediaStream>, signal: AbortSignal): Promise<MediaStream> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(named('AbortError', 'The camera was not needed any more.'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (stream) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) release(stream);
        else resolve(stream);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Resolves when the video shows its first frame; the machine's timeout bounds the wait. */
function firstFrame(video: HTMLVideoElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      cleanup();
      resolve();
    };
    const abort = (): void => {
      cleanup();
      reject(named('AbortError', 'The camera was not needed any more.'));
    };
    const cleanup = (): void => {
      video.removeEventListener('loadeddata', done);
      signal.removeEventListener('abort', abort);
    };
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      resolve();
      return;
    }
    video.addEventListener('loadeddata', done);
    signal.addEventListener('abort', abort, { once: true });
    // A muted video may always play; if it does not, no frame comes and the machine times out.
    video.play().catch(() => undefined);
  });
}

function constraintsFor(deviceId: string | undefined): MediaStreamConstraints {
  return {
    audio: false,
    video: {
      ...(deviceId === undefined ? {} : { deviceId: { exact: deviceId } }),
      // Full HD when the camera has it: the vendors want 1280 px on the long side.
      width: { ideal: 1920 },
      height: { ideal: 1080 },
    },
  };
}

async function videoInputs(media: MediaDevices): Promise<MediaDeviceInfo[]> {
  return (await media.enumerateDevices()).filter((device) => device.kind === 'videoinput');
}

function videoSize(video: HTMLVideoElement): Size | null {
  return video.videoWidth > 0 && video.videoHeight > 0
    ? { width: video.videoWidth, height: video.videoHeight }
    : null;
}

function pixels(video: HTMLVideoElement, canvas: HTMLCanvasElement, size: Size): RgbaFrame | null {
  if (canvas.width !== size.width) canvas.width = size.width;
  if (canvas.height !== size.height) canvas.height = size.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return null;
  context.drawImage(video, 0, 0, size.width, size.height);
  const image = context.getImageData(0, 0, size.width, size.height);
  return { width: size.width, height: size.height, data: new Uint8Array(image.data.buffer) };
}

export function createBrowserCamera(): BrowserCamera {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.disablePictureInPicture = true;
  video.className = 'camera-video';
  // The guidance text says what the picture shows; the preview itself is decoration for a
  // screen reader.
  video.setAttribute('aria-hidden', 'true');

  const guidanceCanvas = document.createElement('canvas');
  const lostListeners = new Set<() => void>();
  const pictures = new Set<string>();
  let stream: MediaStream | null = null;
  let deviceId: string | null = null;

  const notifyLost = (): void => {
    for (const listener of [...lostListeners]) listener();
  };
  // Chromium ends the track when a USB camera is pulled; devicechange catches the rest.
  const onDeviceChange = (): void => {
    const current = deviceId;
    if (current === null) return;
    void videoInputs(navigator.mediaDevices)
      .then((inputs) => {
        if (current === deviceId && !inputs.some((input) => input.deviceId === current))
          notifyLost();
      })
      .catch(() => undefined);
  };

  const stop = (): void => {
    if (stream !== null) {
      for (const track of stream.getTracks()) {
        track.removeEventListener('ended', notifyLost);
        track.stop();
      }
    }
    stream = null;
    deviceId = null;
    video.pause();
    video.srcObject = null;
    navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
  };

  const open = async (preferredLabel: string | null, signal: AbortSignal) => {
    stop();
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (media === undefined) throw named('NotFoundError', 'This browser offers no camera.');
    const inputs = await videoInputs(media);
    if (inputs.length === 0) throw named('NotFoundError', 'No camera is connected.');
    // Labels are empty until the first permission: then any camera opens first, and the
    // preferred one is looked for again by label below.
    const preferred = inputs.find(
      (input) => preferredLabel !== null && input.label === preferredLabel,
    );
    const first = preferred ?? inputs[0];
    let opened = await unlessAborted(
      media.getUserMedia(constraintsFor(first?.deviceId || undefined)),
      signal,
    );
    const openedLabel = opened.getVideoTracks()[0]?.label;
    if (preferredLabel !== null && openedLabel !== preferredLabel) {
      const wanted = (await videoInputs(media)).find((input) => input.label === preferredLabel);
      if (wanted !== undefined && wanted.deviceId !== '') {
        release(opened);
        opened = await unlessAborted(media.getUserMedia(constraintsFor(wanted.deviceId)), signal);
      }
    }
    const track = opened.getVideoTracks()[0];
    if (signal.aborted || track === undefined) {
      release(opened);
      throw named(signal.aborted ? 'AbortError' : 'NotFoundError', 'No video track.');
    }
    stream = opened;
    deviceId = track.getSettings().deviceId ?? null;
    track.addEventListener('ended', notifyLost);
    media.addEventListener('devicechange', onDeviceChange);
    video.srcObject = opened;
    try {
      await firstFrame(video, signal);
    } catch (error) {
      stop();
      throw error;
    }
    return { label: track.label };
  };

  return {
    video,
    open,
    stop,
    onLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    grabGuidanceFrame() {
      const size = stream === null ? null : videoSize(video);
      return size === null ? null : pixels(video, guidanceCanvas, guidanceSize(size));
    },
    async grabPicture(): Promise<Picture> {
      const size = stream === null ? null : videoSize(video);
      if (size === null) throw new Error('The camera shows no picture yet.');
      const canvas = document.createElement('canvas');
      const target = captureSize(size);
      canvas.width = target.width;
      canvas.height = target.height;
      const context = canvas.getContext('2d');
      context?.drawImage(video, 0, 0, target.width, target.height);
      const blob =
        context === null
          ? null
          : await new Promise<Blob | null>((resolve) =>
              canvas.toBlob(resolve, 'image/jpeg', CAPTURE_QUALITY),
            );
      // Give the canvas's pixels back now rather than at the next garbage collection.
      canvas.width = 0;
      canvas.height = 0;
      if (blob === null) throw new Error('The picture could not be taken.');
      const frame: JpegFrame = {
        ...target,
        encoding: 'jpeg',
        data: new Uint8Array(await blob.arrayBuffer()),
      };
      const url = URL.createObjectURL(blob);
      pictures.add(url);
      return { frame, url };
    },
    forgetPicture(url) {
      if (pictures.delete(url)) URL.revokeObjectURL(url);
    },
    dispose() {
      stop();
      for (const url of pictures) URL.revokeObjectURL(url);
      pictures.clear();
      lostListeners.clear();
    },
  };
}
