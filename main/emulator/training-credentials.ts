/**
 * Who may call the emulator. Training mode runs with TRAINING_CREDENTIALS so staff can practise
 * without real vendor keys; tests may pass others to prove the kiosk sends what it is given.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { BiometricKzCredentials, KairosCredentials } from '../../model/request.js';

export interface EmulatorCredentials {
  kairos: Omit<KairosCredentials, 'vendor'>;
  biometricKz: Omit<BiometricKzCredentials, 'vendor'>;
}

/**
 * Fixed, documented, not secret: the kiosk's training mode stores these in its keychain entry
 * for the emulator. The biometric.kz key is 47+ characters like a real one, so length checks in
 * the client see a realistic value.
 */
export const TRAINING_CREDENTIALS: Readonly<EmulatorCredentials> = Object.freeze({
  kairos: Object.freeze({ appId: 'training-app-id', appKey: 'training-app-key' }),
  biometricKz: Object.freeze({ apiKey: 'training-api-key-kiosk-verify-emulator-not-a-secret' }),
});

/** Training credentials with whatever the caller overrides. */
export function resolveCredentials(
  overrides: Partial<EmulatorCredentials> | undefined,
): EmulatorCredentials {
  return {
    kairos: { ...(overrides?.kairos ?? TRAINING_CREDENTIALS.kairos) },
    biometricKz: { ...(overrides?.biometricKz ?? TRAINING_CREDENTIALS.biometricKz) },
  };
}

/**
 * Kairos sends app_id/app_key; its v0.2 page lists app-id/app-key. Proxies may drop header
 * names with underscores, so the kiosk sends both and either spelling is accepted here.
 */
export function isKairosAuthorized(
  headers: IncomingHttpHeaders,
  expected: EmulatorCredentials['kairos'],
): boolean {
  const idMatches = [headers['app_id'], headers['app-id']].some((value) =>
    matchesSecret(value, expected.appId),
  );
  const keyMatches = [headers['app_key'], headers['app-key']].some((value) =>
    matchesSecret(value, expected.appKey),
  );
  return idMatches && keyMatches;
}

/** biometric.kz carries its key in the multipart body as `api_key`. */
export function isBiometricKzAuthorized(
  apiKey: string | undefined,
  expected: EmulatorCredentials['biometricKz'],
): boolean {
  return matchesSecret(apiKey, expected.apiKey);
}

/** Compares digests in constant time, so even the emulator does not teach timing attacks. */
function matchesSecret(value: string | string[] | undefined, expected: string): boolean {
  if (typeof value !== 'string') return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(value), digest(expected));
}
