/** Writing to a stream the way the faults need: chunk by chunk, honouring backpressure. */
import type { Writable } from 'node:stream';

/** Writes `chunk`, and when the stream's buffer is full waits until it drains or dies. */
export async function writeWithBackpressure(stream: Writable, chunk: Buffer): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return;
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
