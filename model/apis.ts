/**
 * The four vendor APIs the kiosk speaks to, and their default hosts.
 * The vendors' pages, their public addresses and how we read them: docs/vendors.md.
 */

export const API_IDS = [
  'kairos-liveness-v0.1',
  'kairos-liveness-v0.2',
  'kairos-biometric-v0.1',
  'biometric-kz-liveness-short',
] as const;

export type ApiId = (typeof API_IDS)[number];

export const VENDOR_IDS = ['kairos', 'biometric-kz'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

/** Short names used on the command line and in settings. */
export const API_BY_SHORT_NAME = {
  'kairos-v0.1': 'kairos-liveness-v0.1',
  'kairos-v0.2': 'kairos-liveness-v0.2',
  'kairos-biometric': 'kairos-biometric-v0.1',
  'biometric-kz': 'biometric-kz-liveness-short',
} as const satisfies Record<string, ApiId>;

export type ApiShortName = keyof typeof API_BY_SHORT_NAME;

export const VENDOR_OF_API: Record<ApiId, VendorId> = {
  'kairos-liveness-v0.1': 'kairos',
  'kairos-liveness-v0.2': 'kairos',
  'kairos-biometric-v0.1': 'kairos',
  'biometric-kz-liveness-short': 'biometric-kz',
};

/** Path of each endpoint below its vendor's base URL. */
export const API_PATH: Record<ApiId, string> = {
  'kairos-liveness-v0.1': '/v0.1/liveness-verification',
  'kairos-liveness-v0.2': '/v0.2/liveness-verification',
  'kairos-biometric-v0.1': '/v0.1/biometric-verification',
  'biometric-kz-liveness-short': '/api/v1/backend/liveness/short/',
};

/** The documents' hosts. Configurable per kiosk; tests never reach these. */
export const DEFAULT_BASE_URL: Record<VendorId, string> = {
  kairos: 'https://idv-eu.kairos.com',
  'biometric-kz': 'https://kyc.biometric.kz',
};

/** Human names for messages staff read. */
export const API_DISPLAY_NAME: Record<ApiId, string> = {
  'kairos-liveness-v0.1': 'Kairos liveness v0.1',
  'kairos-liveness-v0.2': 'Kairos liveness v0.2',
  'kairos-biometric-v0.1': 'Kairos biometric',
  'biometric-kz-liveness-short': 'biometric.kz liveness',
};

export const VENDOR_DISPLAY_NAME: Record<VendorId, string> = {
  kairos: 'Kairos',
  'biometric-kz': 'biometric.kz',
};

export function isApiShortName(value: string): value is ApiShortName {
  return Object.hasOwn(API_BY_SHORT_NAME, value);
}
