/**
 * multipart/form-data parsing with busboy: streaming, with a per-file size limit, and never
 * throwing on garbage (a malformed form is a result the vendor answers 400 to).
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
  | { kind: 'malformed'; reason: string };

export interface FormParser {
  /** Write the request body here. */
  sink: Writable;
  /** Settles once the sink has ended (or failed); never rejects. */
  result: Promise<FormResult>;
}

/** The vendor forms have at most two files and three fields; anything past that is discarded. */
const FORM_LIMITS = { files: 4, fields: 16, parts: 24, fieldSize: 64 * 1024 };

export function createFormParser(headers: IncomingHttpHeaders, maxFileBytes: number): FormParser {
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
    };
  }

  const fields = new Map<string, string>();
  const files = new Map<string, UploadedFile>();
  const fileReads: Promise<void>[] = [];
  let tooLargeField: string | null = null;
  let malformed: string | null = null;

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) malformed ??= `field "${name}" is too long`;
    // First one wins, like most form parsers; duplicates are ignored.
    if (!fields.has(name)) fields.set(name, value);
  });

  parser.on('file', (name, stream, info) => {
    const chunks: Buffer[] = [];
    fileReads.push(
      new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => {
          tooLargeField ??= name;
        });
        // busboy destroys the stream with an error when the form breaks off mid-file.
        stream.on('error', (error) => {
          malformed ??= reasonOf(error);
          resolve();
        });
        stream.on('end', () => {
          if (!files.has(name)) {
            const bytes = Buffer.concat(chunks);
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            files.set(name, { field: name, fileName: info.filename ?? '', bytes, sha256 });
          }
          resolve();
        });
      }),
    );
  });

  const result = new Promise<FormResult>((resolve) => {
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

  return { sink: parser, result };
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
