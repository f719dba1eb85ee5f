/** Waiting that the emulator's faults need, all cancellable so close() never waits on a timer. */
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`; rejects with an AbortError as soon as `signal` aborts (server closing). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal.throwIfAborted();
    return;
  }
  await delay(ms, undefined, { signal });
}

/**
 * Paces a byte stream to `bytesPerSecond`: after `totalBytes` have passed since `startedAt`
 * (performance.now()), waits until the time those bytes would have taken on such a link.
 * Pacing on the running total, not per chunk, keeps the average right whatever the chunk sizes.
 */
export async function paceBytes(
  startedAt: number,
  totalBytes: number,
  bytesPerSecond: number,
  signal: AbortSignal,
): Promise<void> {
  const dueAt = startedAt + (totalBytes / bytesPerSecond) * 1000;
  await sleep(dueAt - performance.now(), signal);
}
