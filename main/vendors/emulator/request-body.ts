/**
 * Moves a request body from the socket into a parser chunk by chunk, so the upload-side faults
 * (bandwidth limit, connection reset mid-upload) act on the real bytes as they arrive.
 */
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { writeWithBackpressure } from './backpressure.js';
import { paceBytes } from './timing.js';

export type BodyOutcome = 'complete' | 'connection-reset' | 'client-aborted';

export interface PumpOptions {
  bandwidthBytesPerSecond?: number | undefined;
  resetAfterBytes?: number | undefined;
  signal: AbortSignal;
  /** Told the running total after every chunk (for the request log). */
  onBytes: (totalBytes: number) => void;
}

/**
 * Reads `req` to its end into `sink` and ends the sink. A sink that fails (garbage multipart)
 * stops receiving but the body is still drained, so the client reads our 400 instead of a
 * broken pipe. Never throws: a client that goes away is an outcome, not an error.
 */
export async function pumpRequestBody(
  req: IncomingMessage,
  sink: Writable,
  options: PumpOptions,
): Promise<BodyOutcome> {
  const { bandwidthBytesPerSecond, resetAfterBytes, signal } = options;
  if (resetAfterBytes === 0) {
    resetConnection(req);
    return 'connection-reset';
  }
  const startedAt = performance.now();
  let total = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      options.onBytes(total);
      if (resetAfterBytes !== undefined && total >= resetAfterBytes) {
        resetConnection(req);
        return 'connection-reset';
      }
      if (bandwidthBytesPerSecond !== undefined) {
        await paceBytes(startedAt, total, bandwidthBytesPerSecond, signal);
      }
      await writeWithBackpressure(sink, chunk);
    }
  } catch {
    // The client hung up, or the server is closing (its sockets are being destroyed).
    sink.destroy();
    return 'client-aborted';
  }
  if (!sink.destroyed) sink.end();
  return 'complete';
}

/** Sends a TCP RST, as a crashing vendor or a middlebox does, rather than a polite FIN. */
function resetConnection(req: IncomingMessage): void {
  try {
    req.socket.resetAndDestroy();
  } catch {
    req.socket.destroy();
  }
}
