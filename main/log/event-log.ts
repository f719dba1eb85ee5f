/**
 * The kiosk's event log for branch IT: one JSON object a line, appended without blocking the
 * event loop (a write stream), rotated when it grows past a size. It records what happened to
 * verifications and vendors; never images, result bodies or credentials.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { dirname } from 'node:path';
import type { QueueEvents } from '../queue/queue-events.js';

/** 5 MB: weeks of a busy kiosk's events, small enough to attach to a support ticket. */
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export class EventLog {
  readonly file: string;
  readonly #stream: WriteStream;

  constructor(file: string, options: { maxBytes?: number } = {}) {
    this.file = file;
    // Private to the user, like the data folder: the log names tickets and vendors.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Rotate at start-up only: one previous file is kept beside the current one.
    if (existsSync(file) && statSync(file).size > (options.maxBytes ?? DEFAULT_MAX_BYTES)) {
      renameSync(file, `${file}.1`);
    }
    this.#stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.#stream.on('error', () => undefined);
  }

  record(event: string, fields: Record<string, unknown> = {}): void {
    this.#stream.write(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}

/** Writes the queue's events to the log; returns the function that stops it. */
export function logQueueEvents(events: QueueEvents, log: EventLog): () => void {
  const offs = [
    events.on('job-changed', (change) =>
      log.record('job-changed', {
        job: change.id,
        ticket: change.ticket,
        api: change.api,
        state: change.state,
        attempts: change.attempts,
        resends: change.resends,
        error: change.lastError,
      }),
    ),
    events.on('vendor-paused', (pause) => log.record('vendor-paused', { ...pause })),
    events.on('vendor-resumed', ({ vendor }) => log.record('vendor-resumed', { vendor })),
    events.on('connectivity', ({ online }) => log.record('connectivity', { online })),
    events.on('delivery-problem', ({ message }) => log.record('delivery-problem', { message })),
    events.on('storage-problem', (problem) => log.record('storage-problem', { ...problem })),
    events.on('storage-recovered', ({ file }) => log.record('storage-recovered', { file })),
    events.on('clock-jump', (jump) => log.record('clock-jump', { ...jump })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
