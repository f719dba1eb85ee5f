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
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { dirname } from 'node:path';
import type { QueueEvents } from '../queue/queue-events.js';

/** 5 MB: weeks of a busy kiosk's events, small enough to attach to a support ticket. */
export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024;
/** The current file and four before it: 25 MB at most on the kiosk's disk. */
export const DEFAULT_LOG_FILES = 5;

export interface EventLogOptions {
  /** A file past this size is rotated (kiosk-verify.log -> .1 -> .2 ...). */
  maxBytes?: number;
  /** Files kept, the current one included; the oldest is deleted. */
  maxFiles?: number;
}

/** Longer strings are cut: a log line names what happened, it never carries a document. */
const MAX_STRING = 500;
/** A long run of key-like characters: a key, a token, base64 of an image. */
const TOKEN_LIKE = /[A-Za-z0-9+=_-]{40,}/g;
/** Fields that may hold what staff typed about a customer: never logged. */
const PRIVATE_FIELDS = new Set(['staffRef', 'reference', 'customerRef', 'name']);

/**
 * A field as it may be logged: images (bytes, data: URLs, base64) and key-like runs are
 * replaced by a marker, long text is cut, and fields that may name a customer are dropped.
 * The callers already log only ids and codes; this keeps a mistake from reaching the file.
 */
export function loggable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (/^data:/i.test(value)) return '[data url removed]';
    const cut = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...[cut]` : value;
    return cut.replace(TOKEN_LIKE, '[removed]');
  }
  if (value instanceof Uint8Array || value instanceof ArrayBuffer)
    return `[${value.byteLength} bytes removed]`;
  if (depth > 4) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => loggable(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (PRIVATE_FIELDS.has(key)) continue;
      out[key] = loggable(inner, depth + 1);
    }
    return out;
  }
  return String(value);
}

export class EventLog {
  readonly file: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
  #stream: WriteStream;
  #bytes: number;
  /** Lines written while the file is being rotated. */
  #pending: string[] | null = null;
  #closing: Promise<void> | null = null;

  constructor(file: string, options: EventLogOptions = {}) {
    this.file = file;
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_LOG_FILES);
    // Private to the user, like the data folder: the log names tickets and vendors.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.#bytes = existsSync(file) ? statSync(file).size : 0;
    if (this.#bytes > this.maxBytes) {
      this.#shift();
      this.#bytes = 0;
    }
    this.#stream = this.#open();
  }

  /** The log's files, newest first (kiosk-verify.log, .1, .2 ...), those that exist. */
  files(): string[] {
    const all = [this.file];
    for (let n = 1; n < this.maxFiles; n += 1) all.push(`${this.file}.${n}`);
    return all.filter((path) => existsSync(path));
  }

  record(event: string, fields: Record<string, unknown> = {}): void {
    if (this.#closing !== null) return;
    const line = `${JSON.stringify({ at: new Date().toISOString(), event, ...(loggable(fields) as object) })}\n`;
    if (this.#pending !== null) {
      this.#pending.push(line);
      return;
    }
    this.#stream.write(line);
    this.#bytes += Buffer.byteLength(line);
    if (this.#bytes > this.maxBytes) this.#rotate();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#pending !== null) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise<void>((resolve) => this.#stream.end(resolve));
    })();
    return this.#closing;
  }

  /** Ends the current file (its buffered lines written), shifts the older ones, starts anew. */
  #rotate(): void {
    this.#pending = [];
    this.#stream.end(() => {
      try {
        this.#shift();
      } catch {
        // A file that cannot be renamed (held open elsewhere): keep appending to it.
      }
      this.#stream = this.#open();
      this.#bytes = 0;
      const lines = this.#pending ?? [];
      this.#pending = null;
      for (const line of lines) {
        this.#stream.write(line);
        this.#bytes += Buffer.byteLength(line);
      }
      if (this.#bytes > this.maxBytes && this.#closing === null) this.#rotate();
    });
  }

  /** kiosk-verify.log -> .1, .1 -> .2, ...; the oldest beyond maxFiles is deleted. */
  #shift(): void {
    if (this.maxFiles === 1) {
      rmSync(this.file, { force: true });
      return;
    }
    rmSync(`${this.file}.${this.maxFiles - 1}`, { force: true });
    for (let n = this.maxFiles - 2; n >= 1; n -= 1) {
      if (existsSync(`${this.file}.${n}`)) renameSync(`${this.file}.${n}`, `${this.file}.${n + 1}`);
    }
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
  }

  #open(): WriteStream {
    const stream = createWriteStream(this.file, { flags: 'a', mode: 0o600 });
    stream.on('error', () => undefined);
    return stream;
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
