/**
 * One multipart POST over an undici pool, with the timeouts a weak branch link needs, upload
 * progress, and the first half of the error taxonomy: failures before any answer arrived are
 * `network` (nothing reached the vendor) or `outcome-unknown` (every byte left the kiosk, so
 * the vendor may have processed it). Never retries: resending is the queue's decision.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { VendorError } from './vendor-error.js';

export interface TransportTimeouts {
  /**
   * TCP + TLS handshake. 15 s: on a congested cellular or satellite link one round trip can
   * take over a second and a handshake needs three or four, with a lost SYN costing 1-3 s more.
   */
  connectMs: number;
  /**
   * From the last byte sent to the response headers. 60 s: the vendor runs its models before
   * it answers, and a proxy on a weak link may hold the answer back.
   */
  headersMs: number;
  /** Longest silence between two pieces of the response body. 30 s. */
  bodyMs: number;
  /**
   * The whole request, upload included. 120 s: a 300 KB selfie at 64 kbit/s (a bad 2G/EDGE
   * link) takes about 40 s to upload, plus the vendor's time and the answer. Past this the
   * customer has walked away, and the queue takes over.
   */
  deadlineMs: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = {
  connectMs: 15_000,
  headersMs: 60_000,
  bodyMs: 30_000,
  deadlineMs: 120_000,
};

/** Answers larger than this are not a vendor's JSON; stop reading rather than fill memory. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** Upload piece size: small enough for progress a person can watch on a slow link. */
const UPLOAD_CHUNK_BYTES = 64 * 1024;

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * What we put in a header value: visible ASCII with spaces or tabs between (RFC 9110
 * field-value without obs-text). No CR/LF or other controls, nothing above 0x7E: undici sends
 * Latin-1 bytes as they are and refuses anything higher, so neither can reach a vendor intact.
 */
const HEADER_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/;
/** The first header that cannot go on the wire, by name (never its value). */
function unsendableHeader(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) return name;
  }
  return undefined;
}

/** Headers only ever fail because a credential in them does: a credentials problem. */
function unsendableHeaderError(
  header: string | undefined,
  vendorName: string,
  cause?: unknown,
): VendorError {
  const which = header === undefined ? 'A header' : `The ${header} header`;
  return new VendorError(
    'auth',
    `${which} for ${vendorName} holds a character that cannot be sent in an HTTP header (only visible ASCII is allowed); nothing was sent. Sending to ${vendorName} is paused; ask IT to set the credentials again (kiosk-verify secrets set).`,
    cause === undefined ? {} : { cause },
  );
}

/** undici's own refusal of a header (thrown before anything was sent): which one, if it says. */
function headerRefusedByUndici(error: unknown): { name: string | undefined } | undefined {
  if (errorCodeOf(error) !== 'UND_ERR_INVALID_ARG' || !(error instanceof Error)) return undefined;
  if (!/header/i.test(error.message)) return undefined;
  return { name: /invalid (\S+) header/i.exec(error.message)?.[1] };
}

export interface MultipartPost {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  /** Who answers, for messages staff read ("Kairos", "biometric.kz"). */
  vendorName: string;
  signal?: AbortSignal | undefined;
  onUploadProgress?: ((sent: number, total: number) => void) | undefined;
  deadlineMs: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** True when the body had to be cut at MAX_RESPONSE_BYTES. */
  truncated: boolean;
}

/** Sends the body in pieces so progress follows what the socket has accepted. */
async function* uploadPieces(
  body: Buffer,
  onProgress: ((sent: number, total: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  const total = body.length;
  onProgress?.(0, total);
  for (let offset = 0; offset < total; offset += UPLOAD_CHUNK_BYTES) {
    const piece = body.subarray(offset, Math.min(offset + UPLOAD_CHUNK_BYTES, total));
    yield piece;
    onProgress?.(offset + piece.length, total);
  }
}

/** A body stream that marks the upload complete once undici has taken its last byte. */
function uploadStream(
  body: Buffer,
  onProgress: ((sent: number, total: number) => void) | undefined,
  state: { uploadComplete: boolean },
): Readable {
  // highWaterMark 1: pull one piece at a time, so progress follows the socket, not a buffer.
  const stream = Readable.from(uploadPieces(body, onProgress), {
    objectMode: false,
    highWaterMark: 1,
  });
  stream.once('end', () => {
    state.uploadComplete = true;
  });
  return stream;
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describeLowLevel(error: unknown): string {
  const code = errorCodeOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its address could not be looked up (DNS)';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was cut';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'the connection could not be opened in time';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'no answer came in time';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the answer stopped half-way';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return 'the network is unreachable';
    default:
      return code === undefined ? 'the request failed' : `the request failed (${code})`;
  }
}

/**
 * Maps a failure that happened before an answer arrived. `uploadComplete` is what separates
 * "nothing reached the vendor" from "the vendor may have processed it".
 */
function failureBeforeAnswer(
  error: unknown,
  uploadComplete: boolean,
  vendorName: string,
  why: { deadline: boolean; cancelled: boolean },
): VendorError {
  const what = why.deadline
    ? 'the request took longer than its deadline'
    : why.cancelled
      ? 'the request was cancelled'
      : describeLowLevel(error);
  if (uploadComplete) {
    return new VendorError(
      'outcome-unknown',
      `The photo reached ${vendorName} but ${what} before it answered; it may have been processed. It will be sent again.`,
      { cause: error },
    );
  }
  return new VendorError(
    'network',
    `Could not reach ${vendorName}: ${what}. Check the branch network; the verification can wait in the queue.`,
    { cause: error },
  );
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
): Promise<{ text: string; truncated: boolean }> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const piece = chunk as Buffer;
    if (size + piece.length > MAX_RESPONSE_BYTES) {
      pieces.push(piece.subarray(0, MAX_RESPONSE_BYTES - size));
      body.destroy();
      return { text: Buffer.concat(pieces).toString('utf8'), truncated: true };
    }
    pieces.push(piece);
    size += piece.length;
  }
  return { text: Buffer.concat(pieces).toString('utf8'), truncated: false };
}

/**
 * POSTs a prepared multipart body. Resolves with whatever status the server answered
 * (status mapping is the caller's); rejects only with a VendorError.
 */
export async function postMultipart(
  dispatcher: Dispatcher,
  post: MultipartPost,
): Promise<RawResponse> {
  const deadline = AbortSignal.timeout(post.deadlineMs);
  const signal = post.signal === undefined ? deadline : AbortSignal.any([post.signal, deadline]);
  const state = { uploadComplete: false };
  const why = () => ({ deadline: deadline.aborted, cancelled: post.signal?.aborted === true });
  const headers = { ...post.headers, 'content-length': String(post.body.length) };
  // Checked here, not left to undici: a header it refuses fails synchronously inside the pool,
  // which then counts that connection as busy forever; a few such sends and every later send
  // waits for a connection that never frees up.
  const badHeader = unsendableHeader(headers);
  if (badHeader !== undefined) throw unsendableHeaderError(badHeader, post.vendorName);

  const body = uploadStream(post.body, post.onUploadProgress, state);
  let response: Dispatcher.ResponseData;
  try {
    response = await dispatcher.request({
      origin: post.url.origin,
      path: post.url.pathname + post.url.search,
      method: 'POST',
      headers,
      body,
      signal,
    });
  } catch (error) {
    body.destroy();
    const refusedHeader = headerRefusedByUndici(error);
    if (refusedHeader !== undefined)
      throw unsendableHeaderError(refusedHeader.name, post.vendorName, error);
    throw failureBeforeAnswer(error, state.uploadComplete, post.vendorName, why());
  }

  try {
    const { text, truncated } = await readCapped(response.body);
    return { status: response.statusCode, headers: response.headers, body: text, truncated };
  } catch (error) {
    // The status line arrived, so the vendor has handled the request; only its body was lost.
    if (response.statusCode >= 200 && response.statusCode < 300) {
      throw failureBeforeAnswer(error, true, post.vendorName, why());
    }
    return { status: response.statusCode, headers: response.headers, body: '', truncated: true };
  }
}
