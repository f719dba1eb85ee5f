/** What goes back on the wire: one Reply value per answer, and the headers every answer carries. */
import type { ServerResponse } from 'node:http';
import { VENDOR_OF_API, type ApiId } from '../../model/apis.js';
import { writeWithBackpressure } from './backpressure.js';
import { paceBytes } from './timing.js';

export interface Reply {
  status: number;
  contentType: string;
  body: Buffer;
  /** Extra headers, e.g. Allow on a 405. */
  headers?: Readonly<Record<string, string>>;
}

/** From the Kairos v0.2 page's response headers; sent on every answer, errors included. */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Strict-Transport-Security': 'max-age=86400; includeSubDomains',
} as const;

export function jsonReply(status: number, value: unknown): Reply {
  return textReply(status, 'application/json', JSON.stringify(value));
}

export function textReply(status: number, contentType: string, text: string): Reply {
  return { status, contentType, body: Buffer.from(text, 'utf8') };
}

/**
 * An error in the vendor's own style: biometric.kz (a Django REST service) answers
 * {"detail": ...}; Kairos documents no error body, so {"message": ...}.
 */
export function vendorErrorReply(api: ApiId, status: number, message: string): Reply {
  return VENDOR_OF_API[api] === 'biometric-kz'
    ? jsonReply(status, { detail: message })
    : jsonReply(status, { message });
}

export interface SendOptions {
  requestId: string;
  /** Pace the body to this speed (bandwidth fault); headers go out at once. */
  bandwidthBytesPerSecond?: number | undefined;
  signal: AbortSignal;
}

/** Writes the answer; false when the client had already gone (nothing was sent). */
export async function sendReply(
  res: ServerResponse,
  reply: Reply,
  options: SendOptions,
): Promise<boolean> {
  if (res.destroyed || res.headersSent) return false;
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': String(reply.body.length),
    'X-Request-ID': options.requestId,
    ...SECURITY_HEADERS,
    ...reply.headers,
  });
  const bytesPerSecond = options.bandwidthBytesPerSecond;
  if (bytesPerSecond === undefined) {
    res.end(reply.body);
    return true;
  }
  // About twenty writes a second: smooth enough that a client sees a slow link, not a stall.
  const sliceBytes = Math.max(1, Math.floor(bytesPerSecond / 20));
  const startedAt = performance.now();
  for (let sent = 0; sent < reply.body.length;) {
    if (res.destroyed) return true;
    const slice = reply.body.subarray(sent, sent + sliceBytes);
    sent += slice.length;
    await writeWithBackpressure(res, slice);
    await paceBytes(startedAt, sent, bytesPerSecond, options.signal);
  }
  res.end();
  return true;
}
