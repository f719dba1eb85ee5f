/**
 * The main-process side of the face worker: starts it, sends it pixels (transferred, never
 * copied), matches answers to requests, and replaces a worker that crashed or hung. The event
 * loop never waits on it: every call returns a promise at once.
 */
import type { Worker } from 'node:worker_threads';
import { CaptureError } from './capture-error.js';
import type { Detection } from './quality-gates.js';
import type { GateThresholds } from './thresholds.js';
import { defaultFaceWorkerUrl, spawnFaceWorker } from './spawn-face-worker.js';
import type { CaptureRole, PixelImage } from './types.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

export interface FaceWorkerOptions {
  /** Defaults to face-worker.ts beside this file, or capture-worker.js beside the bundle. */
  workerUrl?: URL;
  /**
   * One detection takes ~25-60 ms with the face mesh (BENCHMARKS.md); 10 s means the worker is
   * stuck or starved, and it is replaced rather than waited on.
   */
  requestTimeoutMs?: number;
  /**
   * Loading the WASM backend and the model, then a first detection at the largest pass, takes
   * ~1-2 s (~3 s on a loaded machine); 30 s allows for a cold disk.
   */
  startTimeoutMs?: number;
}

interface Pending {
  resolve(detection: Detection): void;
  reject(error: CaptureError): void;
  timer: NodeJS.Timeout;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
}

export class FaceWorkerClient {
  readonly #url: URL;
  readonly #requestTimeoutMs: number;
  readonly #startTimeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #running: Running | null = null;
  #nextId = 1;
  #closed = false;

  constructor(options: FaceWorkerOptions = {}) {
    this.#url = options.workerUrl ?? defaultFaceWorkerUrl();
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#startTimeoutMs = options.startTimeoutMs ?? 30_000;
  }

  /** Starts the worker and waits until the model is loaded. Safe to call again. */
  start(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#running ??= this.#spawn();
    return this.#running.ready;
  }

  /**
   * Finds and measures faces. `image.data` is transferred to the worker when it owns its whole
   * buffer (it is detached afterwards); a view into a larger buffer is copied first.
   */
  async detect(
    image: PixelImage,
    role: CaptureRole,
    minScore: number,
    landmarkGates: GateThresholds | null = null,
  ): Promise<Detection> {
    await this.start();
    const running = this.#running;
    if (running === null) throw detectorError('the face worker stopped right after starting');
    const id = this.#nextId++;
    const pixels = transferableBuffer(image.data);
    const request: WorkerRequest = {
      type: 'detect',
      id,
      width: image.width,
      height: image.height,
      channels: image.channels,
      pixels,
      role,
      minScore,
      landmarkGates,
    };
    return new Promise<Detection>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#stop(running, `the face detector did not answer within ${this.#requestTimeoutMs} ms`);
      }, this.#requestTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      running.worker.ref();
      running.worker.postMessage(request, [pixels]);
    });
  }

  /** Lets queued detections finish, then ends the worker. Later calls fail with service-closed. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#running;
    if (running === null) return;
    const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
    running.worker.ref();
    running.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    const forced = setTimeout(() => void running.worker.terminate(), this.#requestTimeoutMs);
    await exited;
    clearTimeout(forced);
  }

  #spawn(): Running {
    const worker = spawnFaceWorker(this.#url);
    let settle!: { resolve(): void; reject(error: CaptureError): void };
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // A rejected start is reported to whoever awaits it; keep Node from calling it unhandled.
    ready.catch(() => {});
    const running: Running = { worker, ready };
    const startTimer = setTimeout(
      () =>
        this.#stop(running, `the face detector did not start within ${this.#startTimeoutMs} ms`),
      this.#startTimeoutMs,
    );

    worker.on('message', (message: WorkerReply) => {
      if (message.type === 'ready') {
        clearTimeout(startTimer);
        this.#idle(running);
        settle.resolve();
      } else if (message.type === 'fatal') {
        this.#stop(running, `the face detector could not start: ${message.message}`);
      } else {
        const pending = this.#pending.get(message.id);
        if (pending === undefined) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.type === 'detected') pending.resolve(message.detection);
        else pending.reject(detectorError(`face detection failed: ${message.message}`));
        this.#idle(running);
      }
    });
    worker.on('error', (error) => this.#stop(running, `the face worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      clearTimeout(startTimer);
      settle.reject(
        detectorError(`the face worker stopped (exit code ${code}) before it was ready`),
      );
      this.#failPending(`the face worker stopped (exit code ${code})`);
      if (this.#running === running) this.#running = null;
    });
    return running;
  }

  /** Ends a broken worker and fails what it owed; the next call starts a fresh one. */
  #stop(running: Running, reason: string): void {
    if (this.#running === running) this.#running = null;
    this.#failPending(reason);
    // Safe to terminate: the worker runs only tfjs and plain JS, no native code mid-call.
    void running.worker.terminate();
  }

  #failPending(reason: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(this.#closed ? closedError() : detectorError(reason));
      this.#pending.delete(id);
    }
  }

  /** An idle worker does not keep the process alive (a CLI run ends without close()). */
  #idle(running: Running): void {
    if (this.#pending.size === 0) running.worker.unref();
  }
}

function transferableBuffer(view: Uint8Array): ArrayBuffer {
  const { buffer } = view;
  if (
    buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === buffer.byteLength
  ) {
    return buffer;
  }
  // A slice of a pooled Node Buffer or a SharedArrayBuffer: transferring it would detach
  // someone else's memory, so send a copy of just this image.
  return view.slice().buffer;
}

function detectorError(reason: string): CaptureError {
  return new CaptureError(
    'detector-failed',
    `The face check is not working (${reason}). Try again; if it keeps failing, restart the kiosk.`,
  );
}

function closedError(): CaptureError {
  return new CaptureError('service-closed', 'The capture service has been shut down.');
}
