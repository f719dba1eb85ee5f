/**
 * "Test connection" in the staff console: one real request to the vendor the settings name,
 * with the kiosk's credentials and a built-in test picture that has no face in it. The vendor
 * refusing the picture for want of a face is the answer we expect: it proves the address, the
 * network and the credentials. Any other failure is named the way staff can act on it.
 */
import { VENDOR_OF_API, type ApiId, type VendorId } from '../../model/apis.js';
import type { KioskSettings } from '../../model/kiosk-settings.js';
import type { PreparedImage, VerificationRequest } from '../../model/request.js';
import type { ConnectionProblem, TestConnectionResult } from '../../preload/contract.js';
import { isSecretStoreError, type SecretStore } from '../secrets/secret-store.js';
import { readVendorCredentials } from '../secrets/vendor-credentials.js';
import { isVendorError, type VendorError } from '../vendors/vendor-error.js';
import type { VendorGateway } from '../vendors/gateway.js';

export interface ConnectionTestDeps {
  gateway: Pick<VendorGateway, 'send' | 'endpointOf'>;
  /** The credentials the kiosk sends with (the training ones in training mode). */
  secrets: SecretStore;
  settings: () => KioskSettings;
  /** The built-in picture (a JPEG with no face), made once. */
  picture: () => Promise<PreparedImage>;
  training: () => boolean;
  /** A test must not keep staff waiting longer than a customer would. */
  timeoutMs?: number;
}

/** The API a vendor's test goes to: the one the settings use for it, else its liveness API. */
export function testApiOf(vendor: VendorId, settings: KioskSettings): ApiId {
  const configured = settings.apis.liveness;
  if (VENDOR_OF_API[configured] === vendor) return configured;
  return vendor === 'kairos' ? 'kairos-liveness-v0.2' : 'biometric-kz-liveness-short';
}

const PROBLEM_OF: Record<VendorError['code'], ConnectionProblem> = {
  network: 'no-network',
  'outcome-unknown': 'no-network',
  server: 'vendor-down',
  'bad-response': 'vendor-down',
  auth: 'bad-key',
  'usage-limit': 'quota',
  'rejected-input': 'vendor-down',
};

export async function testConnection(
  deps: ConnectionTestDeps,
  vendor: VendorId,
): Promise<TestConnectionResult> {
  const settings = deps.settings();
  const api = testApiOf(vendor, settings);
  const endpoint = deps.gateway.endpointOf(api).toString();
  const training = deps.training();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const failed = (problem: ConnectionProblem, message: string): TestConnectionResult => ({
    ok: false,
    vendor,
    endpoint,
    problem,
    message,
    ms: elapsed(),
    training,
  });
  let credentials;
  try {
    credentials = await readVendorCredentials(deps.secrets, vendor);
  } catch (error) {
    if (isSecretStoreError(error)) return failed('no-credentials', error.message);
    throw error;
  }
  const selfie = await deps.picture();
  const request: VerificationRequest =
    api === 'kairos-biometric-v0.1'
      ? {
          kind: 'match',
          api,
          selfie,
          image: selfie,
          multiface: false,
          threshold: settings.livenessThreshold,
        }
      : { kind: 'liveness', api, selfie, threshold: settings.livenessThreshold };
  try {
    const result = await deps.gateway.send(request, {
      credentials,
      signal: AbortSignal.timeout(deps.timeoutMs ?? 20_000),
    });
    return {
      ok: true,
      vendor,
      api,
      endpoint,
      answer: 'The vendor answered and accepted the credentials.',
      requestId: result.requestId,
      ms: elapsed(),
      training,
    };
  } catch (error) {
    if (!isVendorError(error)) throw error;
    // The picture has no face: the vendor looked at it, so address and credentials work.
    if (error.code === 'rejected-input') {
      return {
        ok: true,
        vendor,
        api,
        endpoint,
        answer: `The vendor answered and accepted the credentials; it refused the test picture as expected (${error.message})`,
        requestId: error.requestId ?? null,
        ms: elapsed(),
        training,
      };
    }
    return failed(PROBLEM_OF[error.code], error.message);
  }
}
