/**
 * Kairos IDV Liveness Verification v0.1 and v0.2 (docs/vendors.md).
 * Same body and answer; v0.2's header table spells `app-id`/`app-key` while its examples send
 * `app_id`/`app_key`, so v0.2 sends both (some proxies drop names with underscores).
 */
import type { ApiAdapter } from './api-adapter.js';
import { formatThreshold } from './api-adapter.js';
import { KairosLivenessBodySchema, facesFromKairos, sizeFromKairos } from './kairos-schemas.js';
import type { KairosCredentials, LivenessRequest, VendorCredentials } from '../../model/request.js';

export function kairosAuthHeaders(
  credentials: VendorCredentials,
  bothSpellings: boolean,
): Record<string, string> {
  const { appId, appKey } = credentials as KairosCredentials;
  const headers: Record<string, string> = { app_id: appId, app_key: appKey };
  if (bothSpellings) {
    headers['app-id'] = appId;
    headers['app-key'] = appKey;
  }
  return headers;
}

export function kairosLivenessAdapter(
  api: 'kairos-liveness-v0.1' | 'kairos-liveness-v0.2',
): ApiAdapter<LivenessRequest> {
  return {
    encode(request, credentials) {
      return {
        headers: {
          accept: 'application/json',
          ...kairosAuthHeaders(credentials, api === 'kairos-liveness-v0.2'),
        },
        fields: [
          ['selfie', request.selfie],
          ['threshold', formatThreshold(request.threshold)],
        ],
      };
    },
    normalize(body, request, context) {
      const parsed = KairosLivenessBodySchema.parse(body);
      const data = parsed.response_data;
      return {
        kind: 'liveness',
        vendor: 'kairos',
        api,
        requestId: parsed.api_req_uid,
        receivedAt: context.receivedAt.toISOString(),
        // The page: "live if its liveness score is greater than or equal to this threshold".
        liveness: {
          score: data.faces_liveness,
          threshold: request.threshold,
          live: data.faces_liveness >= request.threshold,
        },
        faces: facesFromKairos(data.faces_predicted),
        imageSize: sizeFromKairos(data.img),
        match: null,
        failureReason: null,
        vendorResponseCode: parsed.response_code ?? null,
        raw: body,
      };
    },
  };
}
