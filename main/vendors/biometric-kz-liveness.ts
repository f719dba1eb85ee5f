/**
 * biometric.kz Liveness Short (docs/vendors.md): the API key travels
 * in the multipart body, and the file name must end in .jpg, .jpeg or .png (415 otherwise).
 */
import type { ApiAdapter } from './api-adapter.js';
import { BiometricKzBodySchema, classifyBiometricKz400 } from './biometric-kz-schemas.js';
import type { BiometricKzCredentials, LivenessRequest } from '../../model/request.js';

const ACCEPTED_EXTENSION = /\.(jpe?g|png)$/i;

/** Gives the file name the extension biometric.kz checks, from the image's real type. */
export function biometricKzFileName(fileName: string, contentType: string): string {
  if (ACCEPTED_EXTENSION.test(fileName)) return fileName;
  const base = fileName.replace(/\.[^./\\]*$/, '') || 'selfie';
  return `${base}${contentType === 'image/png' ? '.png' : '.jpg'}`;
}

export const biometricKzLivenessAdapter: ApiAdapter<LivenessRequest> = {
  encode(request, credentials) {
    const { apiKey } = credentials as BiometricKzCredentials;
    const selfie = {
      ...request.selfie,
      fileName: biometricKzFileName(request.selfie.fileName, request.selfie.contentType),
    };
    return {
      headers: { accept: 'application/json' },
      fields: [
        ['image', selfie],
        ['api_key', apiKey],
      ],
    };
  },
  normalize(body, _request, context) {
    const parsed = BiometricKzBodySchema.parse(body);
    return {
      kind: 'liveness',
      vendor: 'biometric-kz',
      api: 'biometric-kz-liveness-short',
      requestId: parsed.backend_session_id,
      receivedAt: context.receivedAt.toISOString(),
      // The vendor takes no threshold and decides by itself: `result` is its verdict.
      liveness: { score: parsed.prediction, threshold: null, live: parsed.result },
      faces: [],
      imageSize: null,
      match: null,
      failureReason: parsed.failure_reason ?? null,
      vendorResponseCode: null,
      raw: body,
    };
  },
  classifyRejection: classifyBiometricKz400,
};
