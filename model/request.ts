/** What a caller hands the gateway: the prepared images and the options of one verification. */
import type { ApiId, VendorId } from './apis.js';

/** The image types every vendor takes (and the queue stores). */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** Whether a keychain entry is there; the UI learns only this, never a value. */
export const SECRET_PRESENCE = ['set', 'not-set'] as const;
export type SecretPresence = (typeof SECRET_PRESENCE)[number];

export interface PreparedImage {
  bytes: Uint8Array;
  /** Sent as the multipart file name; biometric.kz requires a .jpg/.jpeg/.png extension. */
  fileName: string;
  contentType: ImageContentType;
}

export type LivenessApiId = Exclude<ApiId, 'kairos-biometric-v0.1'>;

export interface LivenessRequest {
  kind: 'liveness';
  api: LivenessApiId;
  selfie: PreparedImage;
  /** 0..1; Kairos: live when score >= threshold. biometric.kz decides by itself. */
  threshold: number;
}

export interface MatchRequest {
  kind: 'match';
  api: 'kairos-biometric-v0.1';
  selfie: PreparedImage;
  /** The ID document's photo. */
  image: PreparedImage;
  /** Ask the vendor to consider every face in the ID image. */
  multiface: boolean;
  /** The kiosk's liveness threshold for the selfie (the API does not take one). */
  threshold: number;
}

export type VerificationRequest = LivenessRequest | MatchRequest;

export interface KairosCredentials {
  vendor: 'kairos';
  appId: string;
  appKey: string;
}

export interface BiometricKzCredentials {
  vendor: 'biometric-kz';
  apiKey: string;
}

export type VendorCredentials = KairosCredentials | BiometricKzCredentials;

export type CredentialsFor<V extends VendorId> = Extract<VendorCredentials, { vendor: V }>;

/** The liveness threshold the Kairos examples use. */
export const DEFAULT_THRESHOLD = 0.6;

/** Visible ASCII only (RFC 9110 VCHAR): letters, digits, punctuation; no space, nothing else. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Whether a credential can travel as it is, in an HTTP header (Kairos) or a form field
 * (biometric.kz): visible ASCII only. A key with an accented letter, a non-breaking space or a
 * line break pasted in with it is a wrong key, and is refused before anything is sent.
 */
export function isSendableCredential(value: string): boolean {
  return VISIBLE_ASCII.test(value);
}
