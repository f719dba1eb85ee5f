/**
 * Builds a verification request from command-line values, running every file through the
 * capture pipeline first (hardened decode, the vendor's size rules, exactly one usable face):
 * shared by `liveness`/`match` (send now) and `enqueue` (queue for later).
 */
import { API_BY_SHORT_NAME, isApiShortName } from '../../model/apis.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import type { LivenessApiId, LivenessRequest, MatchRequest } from '../../model/request.js';
import { CaptureService } from '../capture/capture-service.js';
import { usageError } from './cli-error.js';
import { parseThreshold } from './options.js';

export const LIVENESS_ARGS = {
  vendor: { type: 'string' },
  selfie: { type: 'string' },
  threshold: { type: 'string' },
} as const;

export const MATCH_ARGS = {
  selfie: { type: 'string' },
  image: { type: 'string' },
  multiface: { type: 'boolean', default: false },
  threshold: { type: 'string' },
} as const;

/** Runs `use` with a capture service (its face worker), always closing it. */
export async function withCapture<T>(use: (capture: CaptureService) => Promise<T>): Promise<T> {
  const capture = new CaptureService();
  try {
    return await use(capture);
  } finally {
    await capture.close();
  }
}

export function livenessApiOf(vendor: string | undefined): LivenessApiId {
  if (vendor === undefined || !isApiShortName(vendor) || vendor === 'kairos-biometric') {
    throw usageError('--vendor must be kairos-v0.1, kairos-v0.2 or biometric-kz.');
  }
  return API_BY_SHORT_NAME[vendor] as LivenessApiId;
}

export async function livenessRequest(
  values: { vendor?: string; selfie?: string; threshold?: string },
  capture: CaptureService,
): Promise<LivenessRequest> {
  const api = livenessApiOf(values.vendor);
  if (values.selfie === undefined) throw usageError('--selfie FILE is required.');
  const threshold = parseThreshold(values.threshold);
  const selfie = await capture.prepareFile(values.selfie, VENDOR_PROFILES[api], 'selfie');
  return { kind: 'liveness', api, selfie, threshold };
}

export async function matchRequest(
  values: { selfie?: string; image?: string; multiface?: boolean; threshold?: string },
  capture: CaptureService,
): Promise<MatchRequest> {
  if (values.selfie === undefined) throw usageError('--selfie FILE is required.');
  if (values.image === undefined) throw usageError('--image FILE (the ID photo) is required.');
  const threshold = parseThreshold(values.threshold);
  const profile = VENDOR_PROFILES['kairos-biometric-v0.1'];
  const selfie = await capture.prepareFile(values.selfie, profile, 'selfie');
  const image = await capture.prepareFile(values.image, profile, 'id-photo');
  return {
    kind: 'match',
    api: 'kairos-biometric-v0.1',
    selfie,
    image,
    multiface: values.multiface === true,
    threshold,
  };
}
