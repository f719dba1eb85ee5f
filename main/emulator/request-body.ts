/**
 * Moves a request body from the socket into a parser chunk by chunk, so the upload-side faults
 * (bandwidth limit, connection reset mid-upload) act on the real bytes as they arrive.
 */
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { writeWithBackpressure } from './backpressure.js';
import { paceBytes } from './timing.js';

/** 'stopped': `stop` aborted, the rest of the body is left unread (the answer closes the socket). */
export type BodyOutcome = 'complete' | 'connection-reset' | 'client-aborted' | 'stopped';

export interface PumpOptions {
  bandwidthBytesPerSecond?: number | undefined;
  resetAfterBytes?: number | undefined;
  signal: AbortSignal;
  /** Aborted when the sink has decided without the rest of the body (FormParser.decided). */
  stop?: AbortSignal | undefined;
  /** Told the running total after every chunk (for the request log). */
  onBytes: (totalBytes: number) => void;
}

/**
 * Reads `req` to its end into `sink` and ends the sink. A sink that fails (garbage multipart)
 * stops receiving but the body is still drained, so the client reads our 400 instead of a
 * broken pipe; only `stop` ends the reading early. Never throws: a client that goes away is an
 * outcome, not an error.
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
  const stopped = (): boolean => options.stop?.aborted === true;
  let total = 0;
  try {
    // Not destroyed when the loop stops early: the socket must stay up for the answer.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (stopped()) return 'stopped';
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
      if (stopped()) return 'stopped';
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
