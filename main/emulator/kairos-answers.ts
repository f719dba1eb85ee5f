/** The three Kairos endpoints: liveness v0.1, liveness v0.2 and biometric v0.1. */
import type { IncomingHttpHeaders } from 'node:http';
import { VENDOR_OF_API, type ApiId } from '../../model/apis.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import {
  analyseUpload,
  formProblemReply,
  missingFileReply,
  type AnswerContext,
} from './answer-context.js';
import { isKairosAuthorized, type EmulatorCredentials } from './training-credentials.js';
import { largestFace } from './detected-faces.js';
import { kairosBiometricBody, kairosLivenessBody } from './kairos-bodies.js';
import { jsonReply, vendorErrorReply, type Reply } from './reply.js';
import { deterministicLiveness, deterministicMatch } from './scoring.js';

/** POST /v0.1/liveness-verification and /v0.2/liveness-verification: `selfie`, `threshold`. */
export async function answerKairosLiveness(context: AnswerContext): Promise<Reply> {
  const refused = refuseUnauthorized(context);
  if (refused !== null) return refused;
  const { form, api } = context;
  if (form.kind !== 'form') return formProblemReply(api, form);

  const selfieFile = form.files.get('selfie');
  if (selfieFile === undefined) return missingFileReply(api, 'selfie');
  const threshold = parseThreshold(form.fields.get('threshold'));
  if (threshold === null) {
    return vendorErrorReply(api, 400, 'threshold: a number between 0 and 1 is required');
  }

  const selfie = await analyseUpload(context, selfieFile, 'selfie', VENDOR_PROFILES[api].selfie);
  if (!selfie.ok) return selfie.reply;

  // No face, nothing live: the v0.1 sample's 0.0 is what a faceless picture would get.
  const liveness =
    context.scores.liveness ??
    (selfie.findings.faces.length > 0 ? deterministicLiveness(selfie.pixelHash) : 0);
  return jsonReply(
    200,
    kairosLivenessBody(timing(context), { liveness, threshold, selfie: selfie.findings }),
  );
}

/** POST /v0.1/biometric-verification: `selfie`, `image`, optional `image_multiface`. */
export async function answerKairosBiometric(context: AnswerContext): Promise<Reply> {
  const refused = refuseUnauthorized(context);
  if (refused !== null) return refused;
  const { form, api } = context;
  if (form.kind !== 'form') return formProblemReply(api, form);

  const selfieFile = form.files.get('selfie');
  if (selfieFile === undefined) return missingFileReply(api, 'selfie');
  const imageFile = form.files.get('image');
  if (imageFile === undefined) return missingFileReply(api, 'image');
  const multiface = parseBoolean(form.fields.get('image_multiface'));
  if (multiface === null) {
    return vendorErrorReply(api, 400, 'image_multiface: must be "true" or "false"');
  }

  const profile = VENDOR_PROFILES[api];
  if (profile.idPhoto === null) throw new Error(`${api} has no ID photo rule`);
  const [selfie, image] = await Promise.all([
    analyseUpload(context, selfieFile, 'selfie', profile.selfie),
    analyseUpload(context, imageFile, 'image', profile.idPhoto),
  ]);
  if (!selfie.ok) return selfie.reply;
  if (!image.ok) return image.reply;

  // Without image_multiface the vendor matches one face; the emulator takes the largest.
  const imageFaces = multiface ? image.findings.faces : largestFace(image.findings.faces);
  const selfieHasFace = selfie.findings.faces.length > 0;
  const liveness =
    context.scores.liveness ?? (selfieHasFace ? deterministicLiveness(selfie.pixelHash) : 0);
  const matchConfidence =
    context.scores.matchConfidence ??
    (selfieHasFace && imageFaces.length > 0
      ? deterministicMatch(selfie.pixelHash, image.pixelHash)
      : 0);
  return jsonReply(
    200,
    kairosBiometricBody(timing(context), {
      liveness,
      matchConfidence,
      selfie: selfie.findings,
      image: { ...image.findings, faces: imageFaces },
    }),
  );
}

function refuseUnauthorized(context: AnswerContext): Reply | null {
  return refuseKairosHeaders(context.api, context.headers, context.credentials);
}

/**
 * The 401 Kairos answers to wrong or missing app_id/app_key, or null when they are right (or the
 * API is not a Kairos one). Headers only: the emulator asks this before it reads any body byte.
 */
export function refuseKairosHeaders(
  api: ApiId,
  headers: IncomingHttpHeaders,
  credentials: EmulatorCredentials,
): Reply | null {
  if (VENDOR_OF_API[api] !== 'kairos' || isKairosAuthorized(headers, credentials.kairos)) {
    return null;
  }
  return vendorErrorReply(
    api,
    401,
    'Authentication failed: send a valid app_id and app_key (or app-id and app-key)',
  );
}

function timing(context: AnswerContext): {
  requestId: string;
  requestedAt: Date;
  processedAt: Date;
} {
  return {
    requestId: context.requestId,
    requestedAt: context.requestedAt,
    processedAt: new Date(),
  };
}

/** "0.6" -> 0.6; anything that is not a plain number in [0, 1] -> null. */
function parseThreshold(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const threshold = Number(value);
  return Number.isFinite(threshold) && threshold >= 0 && threshold <= 1 ? threshold : null;
}

/** The page says boolean, default false; form fields are text, so "true" / "false". */
function parseBoolean(value: string | undefined): boolean | null {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  return null;
}
