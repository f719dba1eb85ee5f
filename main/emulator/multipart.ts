/**
 * multipart/form-data parsing with busboy: streaming, with a per-file size limit, and never
 * throwing on garbage (a malformed form is a result the vendor answers 400 to). What it keeps
 * is counted against the emulator's upload budget, and a credential carried in the form
 * (biometric.kz's api_key) is checked the moment it arrives, so a stranger's upload is not held.
 */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';

export interface UploadedFile {
  field: string;
  /** The multipart file name as sent (biometric.kz checks its extension). */
  fileName: string;
  bytes: Buffer;
  sha256: string;
}

export type FormResult =
  | { kind: 'form'; fields: ReadonlyMap<string, string>; files: ReadonlyMap<string, UploadedFile> }
  | { kind: 'too-large'; field: string; limitBytes: number }
  | { kind: 'malformed'; reason: string }
  /** The upload budget is spent (see upload-gate.ts): decided before the body's end. */
  | { kind: 'busy' }
  /** The key field held a wrong key: decided as soon as it arrived. */
  | { kind: 'key-refused' }
  /** More than `limitBytes` of files came before the key field: decided at that byte. */
  | { kind: 'key-too-late'; field: string; limitBytes: number };

/** A credential that travels in the form itself, checked before the upload is kept. */
export interface KeyField {
  name: string;
  /** File bytes kept while the key has not arrived yet, at most. */
  maxBytesBefore: number;
  accepts(value: string): boolean;
}

export interface FormParserOptions {
  /** Per file; busboy stops keeping a file past it ('too-large'). */
  maxFileBytes: number;
  /** Asked before each file chunk is kept; false ends the parse as 'busy'. */
  hold?: ((bytes: number) => boolean) | undefined;
  keyField?: KeyField | undefined;
}

export interface FormParser {
  /** Write the request body here. */
  sink: Writable;
  /** Settles once the sink has ended (or failed), or once decided early; never rejects. */
  result: Promise<FormResult>;
  /** Aborts when the result was decided before the body's end: stop reading it. */
  decided: AbortSignal;
}

/** The vendor forms have at most two files and three fields; anything past that is discarded. */
const FORM_LIMITS = { files: 4, fields: 16, parts: 24, fieldSize: 64 * 1024 };

export function createFormParser(
  headers: IncomingHttpHeaders,
  options: FormParserOptions,
): FormParser {
  const { maxFileBytes, hold, keyField } = options;
  const decided = new AbortController();
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers,
      defParamCharset: 'utf8',
      limits: { ...FORM_LIMITS, fileSize: maxFileBytes },
    });
  } catch (error) {
    // Not multipart, or no boundary: still drain the body so the client reads our answer.
    return {
      sink: discardingSink(),
      result: Promise.resolve({ kind: 'malformed', reason: reasonOf(error) }),
      decided: decided.signal,
    };
  }

  const fields = new Map<string, string>();
  const files = new Map<string, UploadedFile>();
  const fileReads: Promise<void>[] = [];
  const keptChunks: Buffer[][] = [];
  const fileNamesSeen = new Set<string>();
  let tooLargeField: string | null = null;
  let malformed: string | null = null;
  let keySeen = false;
  let bytesBeforeKey = 0;
  let settle: (result: FormResult) => void = () => {};

  /** Ends the parse before the body's end: drops what was kept and tells the reader to stop. */
  const decideEarly = (result: FormResult): void => {
    if (decided.signal.aborted) return;
    for (const chunks of keptChunks) chunks.length = 0;
    settle(result);
    decided.abort();
    parser.destroy();
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) malformed ??= `field "${name}" is too long`;
    if (keyField !== undefined && name === keyField.name && !keySeen) {
      keySeen = true;
      if (!keyField.accepts(value)) decideEarly({ kind: 'key-refused' });
    }
    // First one wins, like most form parsers; duplicates are ignored.
    if (!fields.has(name)) fields.set(name, value);
  });

  parser.on('file', (name, stream, info) => {
    // First one wins here too; a duplicate is read past, never kept.
    const keep = !fileNamesSeen.has(name);
    fileNamesSeen.add(name);
    const chunks: Buffer[] = [];
    keptChunks.push(chunks);
    const onChunk = (chunk: Buffer): void => {
      if (!keep || decided.signal.aborted) return;
      if (keyField !== undefined && !keySeen) {
        bytesBeforeKey += chunk.length;
        if (bytesBeforeKey > keyField.maxBytesBefore) {
          decideEarly({ kind: 'key-too-late', field: name, limitBytes: keyField.maxBytesBefore });
          return;
        }
      }
      if (hold !== undefined && !hold(chunk.length)) {
        decideEarly({ kind: 'busy' });
        return;
      }
      chunks.push(chunk);
    };
    fileReads.push(
      new Promise<void>((resolve) => {
        stream.on('data', onChunk);
        stream.on('limit', () => {
          tooLargeField ??= name;
        });
        // busboy destroys the stream with an error when the form breaks off mid-file.
        stream.on('error', (error) => {
          malformed ??= reasonOf(error);
          resolve();
        });
        stream.on('end', () => {
          if (keep && !decided.signal.aborted) {
            const bytes = Buffer.concat(chunks);
            chunks.length = 0;
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            files.set(name, { field: name, fileName: info.filename ?? '', bytes, sha256 });
          }
          resolve();
        });
      }),
    );
  });

  const result = new Promise<FormResult>((resolve) => {
    settle = resolve;
    parser.on('error', (error) => resolve({ kind: 'malformed', reason: reasonOf(error) }));
    parser.on('close', () => {
      void Promise.all(fileReads).then(() => {
        if (tooLargeField !== null) {
          resolve({ kind: 'too-large', field: tooLargeField, limitBytes: maxFileBytes });
        } else if (malformed !== null) {
          resolve({ kind: 'malformed', reason: malformed });
        } else {
          resolve({ kind: 'form', fields, files });
        }
      });
    });
  });

  return { sink: parser, result, decided: decided.signal };
}

function discardingSink(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
