/**
 * The second half of the error taxonomy: a vendor (or a proxy in front of it) answered with a
 * status that is not success. Maps it to exactly one VendorError, keeping the vendor's reason.
 */
import { VendorError, type VendorErrorCode } from './vendor-error.js';

const REJECTED_INPUT_STATUSES = new Set([400, 413, 415, 422]);
const MAX_REASON_CHARS = 300;

/** The vendor's reason from an error body: JSON `detail`/`message`/`error`, or short plain text. */
export function reasonFromBody(body: string, contentType: string | undefined): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  if (contentType?.includes('html') === true || /^<(!doctype|html)/i.test(trimmed))
    return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    const found = pickReason(parsed);
    if (found !== undefined) return found.slice(0, MAX_REASON_CHARS);
  } catch {
    // Not JSON: plain text is still a reason a person can read.
  }
  return trimmed.slice(0, MAX_REASON_CHARS);
}

function pickReason(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of ['detail', 'message', 'error', 'reason', 'errors', 'Errors']) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === 'string' && field !== '') return field;
    if (Array.isArray(field) && field.length > 0) return pickReason(field[0]);
    if (typeof field === 'object' && field !== null) return pickReason(field);
  }
  return undefined;
}

export interface StatusContext {
  status: number;
  body: string;
  contentType: string | undefined;
  vendorName: string;
  requestId: string | undefined;
  /** Vendor-specific reading of a 400 whose message is not about the input (biometric.kz). */
  classifyRejection?: ((reason: string | undefined) => VendorErrorCode | undefined) | undefined;
  /** Values that must never appear in an error (credentials): replaced if a body echoes them. */
  redact: readonly string[];
  /** Where the request went (origin and path, no query), for "the address is wrong" messages. */
  url?: string | undefined;
}

/** Statuses that mean nothing answers this request at this address, whatever the credentials. */
const WRONG_ADDRESS_STATUS_TEXT: Record<number, string> = {
  404: 'Not Found',
  405: 'Method Not Allowed',
};

function redacted(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

/** Builds the staff-facing error for a non-success status. */
export function errorForStatus(context: StatusContext): VendorError {
  const { status, vendorName } = context;
  const reason = redacted(reasonFromBody(context.body, context.contentType), context.redact);
  const details = { status, vendorReason: reason, requestId: context.requestId };
  const because = reason === undefined ? '' : `: "${reason}"`;

  if (status >= 500) {
    const proxy =
      reason === undefined && /html/i.test(context.contentType ?? '') ? ' (a proxy page)' : '';
    return new VendorError(
      'server',
      `${vendorName} is having trouble (HTTP ${status}${proxy}). The verification will be sent again later.`,
      details,
    );
  }
  const special = status === 400 ? context.classifyRejection?.(reason) : undefined;
  if (special === 'auth') {
    return new VendorError(
      'auth',
      `${vendorName} refused our account${because}. Sending to ${vendorName} is paused; ask IT to check the subscription and API key.`,
      details,
    );
  }
  if (special === 'server') {
    return new VendorError(
      'server',
      `${vendorName} could not process the request right now${because}. It will be sent again later.`,
      details,
    );
  }
  if (status === 403) {
    return new VendorError(
      'usage-limit',
      `${vendorName} says the account's usage limit is reached (HTTP 403)${because}. Sending is paused; ask IT to check the plan.`,
      details,
    );
  }
  if (status === 429) {
    return new VendorError(
      'usage-limit',
      `${vendorName} is limiting how fast we may send (HTTP 429). Sending is paused for a while.`,
      details,
    );
  }
  if (status === 408) {
    return new VendorError(
      'network',
      `${vendorName} timed out waiting for the upload (HTTP 408). It will be sent again.`,
      details,
    );
  }
  const wrongAddress = WRONG_ADDRESS_STATUS_TEXT[status];
  if (wrongAddress !== undefined) {
    // Not a credentials problem: pausing the vendor for its keys would send IT the wrong way.
    // bad-response keeps the jobs queued (retried with backoff) until the address is fixed.
    const where = context.url === undefined ? '' : ` at ${context.url}`;
    return new VendorError(
      'bad-response',
      `${vendorName} answered ${status} ${wrongAddress}${where}: the base URL is probably wrong (check --base-url, or the vendor address this kiosk is set up with). The verification will be sent again later.`,
      details,
    );
  }
  if (REJECTED_INPUT_STATUSES.has(status)) {
    return new VendorError(
      'rejected-input',
      `${vendorName} rejected the images (HTTP ${status})${because}. Take the photo again.`,
      details,
    );
  }
  if (status >= 400) {
    // The documents: "4xx: Authentication failures".
    return new VendorError(
      'auth',
      `${vendorName} did not accept our credentials (HTTP ${status}). Sending to ${vendorName} is paused; ask IT to check the keys in the keychain.`,
      details,
    );
  }
  return new VendorError(
    'bad-response',
    `${vendorName} answered with an unexpected HTTP ${status}. It will be sent again later.`,
    details,
  );
}
