/** What differs between the vendor APIs: how a request is encoded and how an answer is read. */
import type { VendorErrorCode } from './vendor-error.js';
import type { VerificationResult } from '../../model/result-model.js';
import type { PreparedImage, VendorCredentials, VerificationRequest } from '../../model/request.js';

export type MultipartField = [name: string, value: string | PreparedImage];

export interface EncodedRequest {
  fields: MultipartField[];
  /** Extra headers (authentication, Accept); the multipart content type is added by the gateway. */
  headers: Record<string, string>;
}

export interface AnswerContext {
  /** The X-Request-ID header, when the answer carried one. */
  requestIdHeader: string | undefined;
  receivedAt: Date;
}

export interface ApiAdapter<R extends VerificationRequest> {
  encode(request: R, credentials: VendorCredentials): EncodedRequest;
  /** Validates a 2xx body and normalizes it; throws (zod) when it does not match. */
  normalize(body: unknown, request: R, context: AnswerContext): VerificationResult;
  classifyRejection?: (reason: string | undefined) => VendorErrorCode | undefined;
}

/** Thresholds go on the wire as plain decimals ("0.6"), never in exponent form. */
export function formatThreshold(threshold: number): string {
  return String(Number(threshold.toFixed(4)));
}
