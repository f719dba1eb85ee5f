/**
 * The face worker (entry file; bundled as dist/main/capture-worker.js). Loads the detector once
 * (BlazeFace; face-model.ts is the seam, tiny-face-detector.ts the alternative) and the face
 * mesh with iris (face-landmarks.ts), then answers detect requests one at a time: find faces,
 * measure the largest and, when asked and it passes the cheap gates, its mesh measures. Holds
 * no state between requests and keeps no pixels after answering.
 */
import { parentPort } from 'node:worker_threads';
import { measureFace } from './face-stats.js';
import { judgeDetection, type Detection } from './quality-gates.js';
import { loadBlazeFace } from './blazeface-detector.js';
import type { FaceModel } from './face-model.js';
import { loadFaceLandmarks, type FaceLandmarkModel } from './face-landmarks.js';
import { measureLandmarks } from './face-measures.js';
import { startTfjs } from './tfjs-runtime.js';
import type { DetectRequest, WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('face-worker.ts runs only as a worker thread');

function reply(message: WorkerReply): void {
  port!.postMessage(message);
}

async function detect(
  detector: FaceModel,
  mesh: FaceLandmarkModel,
  request: DetectRequest,
): Promise<Detection> {
  const image = {
    data: new Uint8Array(request.pixels),
    width: request.width,
    height: request.height,
    channels: request.channels,
  };
  const started = performance.now();
  const faces = await detector.detect(image, request.role, request.minScore);
  faces.sort((a, b) => b.width * b.height - a.width * a.height);
  const main = faces[0];
  const detection: Detection = {
    faces,
    stats: main === undefined ? null : measureFace(image, main),
    landmarks: null,
    analysisWidth: request.width,
    analysisHeight: request.height,
    detectMs: 0,
  };
  // The mesh only for a face that passes the gates judged before its own (count, size,
  // position, light; judged as the main process will, at the analysed size: the gates are
  // ratios). Not focus: a face half in shadow measures soft, and "uneven light" comes first.
  if (
    main !== undefined &&
    request.landmarkGates !== null &&
    judgeDetection(detection, request.role, image, { ...request.landmarkGates, minSharpness: 0 })
      .verdict === 'ok'
  ) {
    const found = await mesh.landmarks(image, main);
    detection.landmarks = measureLandmarks(image, found.points, found.meshScore);
  }
  detection.detectMs = performance.now() - started;
  return detection;
}

try {
  // The kiosk's detector: the one line that chooses it.
  const detector = await loadBlazeFace();
  const mesh = await loadFaceLandmarks(await startTfjs());
  // The first inference compiles the model's kernels and grows the WASM memory (slow: ~1 s,
  // and much slower on a loaded machine): do it before saying ready, under the start timeout,
  // for both roles, so no customer's first frame or request timeout pays for it.
  for (const role of ['selfie', 'id-photo'] as const) {
    await detector.detect(
      { data: new Uint8Array(320 * 180 * 3), width: 320, height: 180, channels: 3 },
      role,
      0.5,
    );
  }
  // The same for the face mesh and iris models.
  await mesh.landmarks(
    { data: new Uint8Array(320 * 180 * 3), width: 320, height: 180, channels: 3 },
    { x: 100, y: 40, width: 100, height: 100 },
  );
  // One request at a time: tfjs runs on this thread anyway, and a queue keeps answers in order.
  let queue = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    if (request.type === 'close') {
      // Answer what is already queued, then let the thread end by itself (never terminated
      // mid-detection).
      queue = queue.then(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      try {
        reply({
          type: 'detected',
          id: request.id,
          detection: await detect(detector, mesh, request),
        });
      } catch (error) {
        reply({ type: 'failed', id: request.id, message: messageOf(error) });
      }
    });
  });
  reply({ type: 'ready', model: detector.name, backend: detector.backend });
} catch (error) {
  reply({ type: 'fatal', message: messageOf(error) });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
