/**
 * Every vendor request the emulator received and what became of it. Tests count deliveries with
 * it ("no job sent twice"); staff can see what training mode sent. Never holds a credential.
 */
import type { ApiId } from '../../model/apis.js';

export type RequestOutcome =
  /** Still uploading, or waiting on latency. */
  | 'in-progress'
  | 'answered'
  /** The resetAfterBytes fault cut the upload. */
  | 'connection-reset'
  /** The neverAnswer fault: upload read, no answer sent. */
  | 'never-answered'
  /** The client went away before the answer (mid-upload when uploadCompleted is false). */
  | 'client-aborted';

export interface LoggedFile {
  field: string;
  fileName: string;
  bytes: number;
  /** Hex SHA-256 of the uploaded bytes: identifies a job's image across retries. */
  sha256: string;
}

export interface EmulatorRequestRecord {
  /** The X-Request-ID header (and api_req_uid / backend_session_id) of the answer. */
  requestId: string;
  api: ApiId;
  /** ISO time the request arrived. */
  receivedAt: string;
  bytesReceived: number;
  /** True once the whole body arrived, whatever was answered. */
  uploadCompleted: boolean;
  /** Files of a well-formed form; empty when the body was cut or was not a form. */
  files: LoggedFile[];
  /** The status answered; null when nothing was (reset, never answered, client gone). */
  status: number | null;
  outcome: RequestOutcome;
}

/** Training mode runs all day: keep the latest records only, so memory stays flat. */
const DEFAULT_LIMIT = 1000;

export class RequestLog {
  readonly #records: EmulatorRequestRecord[] = [];
  readonly #limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = limit;
  }

  /** Starts the record of one request; the caller fills it in as the request goes on. */
  begin(api: ApiId, requestId: string, receivedAt: Date): EmulatorRequestRecord {
    const record: EmulatorRequestRecord = {
      requestId,
      api,
      receivedAt: receivedAt.toISOString(),
      bytesReceived: 0,
      uploadCompleted: false,
      files: [],
      status: null,
      outcome: 'in-progress',
    };
    this.#records.push(record);
    if (this.#records.length > this.#limit) this.#records.shift();
    return record;
  }

  /** Copies, oldest first: callers cannot change the log, and later updates do not leak in. */
  list(): EmulatorRequestRecord[] {
    return structuredClone(this.#records);
  }

  clear(): void {
    this.#records.length = 0;
  }
}
