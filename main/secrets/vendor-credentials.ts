/** A vendor's credentials as the gateway wants them, assembled from the keychain at send time. */
import { z } from 'zod';
import { VENDOR_DISPLAY_NAME, type VendorId } from '../../model/apis.js';
import { isSendableCredential } from '../../model/request.js';
import type { CredentialsFor, VendorCredentials } from '../../model/request.js';
import { CREDENTIAL_KEY_OF_VENDOR } from './secret-keys.js';
import { SecretStoreError, type SecretStore } from './secret-store.js';

/** The Kairos entry: app ID and app key, stored together. */
const KairosEntrySchema = z.object({ appId: z.string().min(1), appKey: z.string().min(1) });

/** Reads one vendor's credentials (one keychain read); a missing entry is 'missing-secret'. */
export async function readVendorCredentials<V extends VendorId>(
  store: SecretStore,
  vendor: V,
): Promise<CredentialsFor<V>>;
export async function readVendorCredentials(
  store: SecretStore,
  vendor: VendorId,
): Promise<VendorCredentials> {
  const key = CREDENTIAL_KEY_OF_VENDOR[vendor];
  const value = await store.get(key);
  if (value === null) {
    throw new SecretStoreError(
      'missing-secret',
      `${VENDOR_DISPLAY_NAME[vendor]} credentials are not set (missing ${key}). ` +
        `Set them with "kiosk-verify secrets set ${vendor}".`,
    );
  }
  if (vendor === 'biometric-kz') return { vendor, apiKey: value };
  const entry = KairosEntrySchema.safeParse(parseJson(value));
  if (!entry.success) {
    // Never echo the value: name the entry and the fix.
    throw new SecretStoreError(
      'invalid-secret',
      `The keychain entry ${key} is not a Kairos app ID and app key. ` +
        `Set them again with "kiosk-verify secrets set kairos".`,
    );
  }
  return { vendor, appId: entry.data.appId, appKey: entry.data.appKey };
}

/** The value of the Kairos keychain entry for an app ID and app key. */
export function kairosEntryValue(credentials: { appId: string; appKey: string }): string {
  const { appId, appKey } = KairosEntrySchema.parse(credentials);
  return JSON.stringify({ appId, appKey });
}

/**
 * The credential that could never reach its vendor, by what staff call it ("Kairos app key"),
 * or undefined when all can. Kairos's travel in HTTP headers and biometric.kz's in a form
 * field: only visible ASCII (letters, digits, punctuation) arrives intact.
 */
export function unsendableCredential(credentials: VendorCredentials): string | undefined {
  const labelled: [string, string][] =
    credentials.vendor === 'kairos'
      ? [
          ['Kairos app ID', credentials.appId],
          ['Kairos app key', credentials.appKey],
        ]
      : [['biometric.kz API key', credentials.apiKey]];
  return labelled.find(([, value]) => !isSendableCredential(value))?.[0];
}

/** Why a credential cannot be stored, for staff: names it and the fix, never its value. */
export function unsendableCredentialMessage(label: string, vendor: VendorId): string {
  return (
    `The ${label} contains a character that cannot be sent to ${VENDOR_DISPLAY_NAME[vendor]} ` +
    `(only visible ASCII is allowed: letters, digits and punctuation; no spaces, accented or ` +
    `non-Latin letters, or line breaks). Nothing was stored. Copy the value again from the ` +
    `vendor's portal and run "kiosk-verify secrets set ${vendor}".`
  );
}

/**
 * Stores a vendor's credentials, replacing what was there, in one keychain write. Refuses
 * ('invalid-secret') values that could never be sent, and then writes nothing.
 */
export async function writeVendorCredentials(
  store: SecretStore,
  credentials: VendorCredentials,
): Promise<void> {
  const unsendable = unsendableCredential(credentials);
  if (unsendable !== undefined) {
    throw new SecretStoreError(
      'invalid-secret',
      unsendableCredentialMessage(unsendable, credentials.vendor),
    );
  }
  if (credentials.vendor === 'kairos') {
    await store.set(CREDENTIAL_KEY_OF_VENDOR.kairos, kairosEntryValue(credentials));
  } else {
    await store.set(CREDENTIAL_KEY_OF_VENDOR['biometric-kz'], credentials.apiKey);
  }
}

/** Removes a vendor's credentials; true when anything was removed. */
export function deleteVendorCredentials(store: SecretStore, vendor: VendorId): Promise<boolean> {
  return store.delete(CREDENTIAL_KEY_OF_VENDOR[vendor]);
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
