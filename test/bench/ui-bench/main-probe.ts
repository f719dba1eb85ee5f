/**
 * The main process's side of bench:ui. The harness and the kiosk's services run in this very
 * process, so their timings are taken by wrapping service methods from outside (no product code
 * changes): the command handlers the harness dispatches to (looked up per call), the capture
 * pipeline's captureFrame, and detectFaces (which the embedded emulator calls for every picture
 * it is sent).
 */
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import type { Kiosk } from '../../../main/kiosk.js';
import type { Page } from 'playwright-core';
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import { pageNow } from './page-probe.js';

type WriteChunk = (
  chunk: Buffer,
  encoding: BufferEncoding,
  callback: (error?: Error | null) => void,
) => void;
/** ws's frame parser, the Writable each socket is piped into (@types/ws leaves it out). */
const Receiver = (wsModule as unknown as { Receiver: { prototype: { _write: WriteChunk } } })
  .Receiver;

/** One call of a wrapped function, in epoch ms (see nowEpoch). */
export interface MainCall {
  what: string;
  start: number;
  end: number;
  bytes?: number;
}

/** Epoch ms with sub-ms precision, the clock the page probe uses too. */
export function nowEpoch(): number {
  return performance.timeOrigin + performance.now();
}

export class MainProbe {
  readonly #calls: MainCall[] = [];
  /** Off for the long run: its records would grow the RSS being measured. */
  recording = true;

  constructor(kiosk: Kiosk) {
    const { commands, capture } = kiosk.services;
    for (const channel of ['session:analyze-frame', 'session:capture', 'session:verify'] as const) {
      const handler = commands[channel] as (input: unknown) => unknown;
      commands[channel] = this.#timed(channel, handler) as never;
    }
    capture.captureFrame = this.#timed('captureFrame', capture.captureFrame.bind(capture));
    // A class field (an own property): the emulator reads it at each call.
    (capture as { detectFaces: typeof capture.detectFaces }).detectFaces = this.#timed(
      'emulator detectFaces',
      capture.detectFaces,
    );
    this.#timeBinaryMessages();
  }

  /**
   * When a binary message (a frame) has fully arrived from the page: the harness's sockets are
   * instances of ws's WebSocket, which emits 'message' once the whole message is in, and the
   * harness decodes and dispatches it synchronously from there. And each chunk the sockets
   * read (ws's Receiver is the Writable they are piped into): when the first bytes came.
   */
  #timeBinaryMessages(): void {
    const calls = this.#calls;
    const recording = (): boolean => this.recording;
    const write = Receiver.prototype._write;
    Receiver.prototype._write = function (this: unknown, chunk, encoding, callback) {
      if (recording()) {
        const at = nowEpoch();
        calls.push({ what: 'socket chunk', start: at, end: at, bytes: chunk.length });
      }
      write.call(this, chunk, encoding, callback);
    };
    const emit = WebSocket.prototype.emit;
    WebSocket.prototype.emit = function (
      this: WebSocket,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (recording() && event === 'message' && args[1] === true) {
        const at = nowEpoch();
        calls.push({ what: 'binary message received', start: at, end: at });
      }
      return emit.call(this, event, ...args);
    };
  }

  /** Every call since the last drain, oldest first. */
  drain(): MainCall[] {
    return this.#calls.splice(0);
  }

  #timed<A extends unknown[], R>(what: string, fn: (...args: A) => R | Promise<R>) {
    return async (...args: A): Promise<R> => {
      const start = nowEpoch();
      try {
        return await fn(...args);
      } finally {
        if (this.recording) this.#calls.push({ what, start, end: nowEpoch() });
      }
    };
  }
}

/**
 * The page's clock minus this process's (ms), from the tightest of a few round trips. Both read
 * the same system clock, so it should be about 0; measured rather than assumed.
 */
export async function clockOffset(page: Page): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Infinity };
  for (let i = 0; i < 10; i += 1) {
    const before = nowEpoch();
    const inPage = await pageNow(page);
    const after = nowEpoch();
    const uncertainty = (after - before) / 2;
    if (uncertainty < best.uncertainty)
      best = { offset: inPage - (before + after) / 2, uncertainty };
  }
  return best;
}

/**
 * global.gc, exposed at run time: the npm script runs plain `tsx` (no --expose-gc), and V8
 * accepts the flag late for contexts created afterwards.
 */
export function garbageCollector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** RSS after two full collections, in bytes. */
export function settledRss(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}
