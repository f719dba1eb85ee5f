/**
 * Who may use the /__emulator/ controls. In training mode the emulator runs on the kiosk next to
 * a browser, and any web page may send a "simple" cross-origin request (text/plain, no custom
 * header, no CORS preflight) to a loopback port. So every control needs the token made at start
 * (a custom header: a page cannot send one without a preflight, which the emulator never grants),
 * a JSON body when it has one (also preflighted), and no Origin but the emulator's own.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, type Reply } from './reply.js';

/** The header that carries the token; `Authorization: Bearer <token>` works too. */
export const CONTROL_TOKEN_HEADER = 'x-emulator-token';

export interface ControlAccess {
  token: string;
  /** The emulator's own origin, e.g. http://127.0.0.1:41234: its own pages may call it. */
  origin: string;
}

/** 192 random bits, fresh each start: known only to whoever started the emulator. */
export function newControlToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The refusal for a control request that may not run, or null when it may. */
export function refuseControl(
  method: string,
  headers: IncomingHttpHeaders,
  access: ControlAccess,
): Reply | null {
  const origin = headers.origin;
  if (origin !== undefined && origin !== access.origin) {
    return closing(jsonReply(403, { message: `emulator controls refuse requests from ${origin}` }));
  }
  if (!matchesToken(presentedToken(headers), access.token)) {
    return closing(
      jsonReply(401, {
        message: `emulator controls need the token printed at start, in the ${CONTROL_TOKEN_HEADER} header`,
      }),
    );
  }
  if (method !== 'GET' && method !== 'HEAD' && !isJson(headers['content-type'])) {
    return closing(jsonReply(415, { message: 'emulator commands are application/json' }));
  }
  return null;
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[CONTROL_TOKEN_HEADER];
  if (typeof header === 'string') return header;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return bearer?.[1];
}

/** Compares digests in constant time, like the vendor credentials. */
function matchesToken(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(token));
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** A refused request's body is never read: close the connection instead of draining it. */
function closing(reply: Reply): Reply {
  return { ...reply, headers: { Connection: 'close' } };
}
