/**
 * The face worker (entry file; bundled as dist/main/capture-worker.js). Loads the detector once
 * (BlazeFace; face-model.ts is the seam, tiny-face-detector.ts the alternative),
 * then answers detect requests one at a time: find faces, measure the largest. Holds no state
 * between requests and keeps no pixels after answering.
 */
import { parentPort } from 'node:worker_threads';
import { measureFace } from './face-stats.js';
import type { Detection } from './quality-gates.js';
import { loadBlazeFace } from './blazeface-detector.js';
import type { FaceModel } from './face-model.js';
import type { DetectRequest, WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('face-worker.ts runs only as a worker thread');

function reply(message: WorkerReply): void {
  port!.postMessage(message);
}

async function detect(detector: FaceModel, request: DetectRequest): Promise<Detection> {
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
  return {
    faces,
    stats: main === undefined ? null : measureFace(image, main),
    analysisWidth: request.width,
    analysisHeight: request.height,
    detectMs: performance.now() - started,
  };
}

try {
  // The kiosk's detector: the one line that chooses it.
  const detector = await loadBlazeFace();
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
        reply({ type: 'detected', id: request.id, detection: await detect(detector, request) });
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
