/**
 * Credentials that could never reach their vendor (non-ASCII, spaces, line breaks, control
 * characters) are refused when stored, so the staff console gets the same refusal as the CLI,
 * and the entry already in the keychain stays as it was.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretStoreError } from '../../main/secrets/secret-store.js';
import {
  readVendorCredentials,
  unsendableCredential,
  writeVendorCredentials,
} from '../../main/secrets/vendor-credentials.js';
import type { VendorCredentials } from '../../model/request.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

async function refusal(promise: Promise<unknown>): Promise<SecretStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretStoreError);
  return error as SecretStoreError;
}

describe('storing credentials that cannot travel, in the real keychain', () => {
  beforeAll(requireRealKeychain);
  const keychain = isolatedKeychainStore();
  afterEach(keychain.cleanup);

  it.each([
    ['Kairos app key', { vendor: 'kairos', appId: 'app-id-1', appKey: 'app-kéy-1' }],
    ['Kairos app key', { vendor: 'kairos', appId: 'app-id-1', appKey: 'ключ' }],
    ['Kairos app ID', { vendor: 'kairos', appId: 'app id', appKey: 'app-key-1' }],
    ['Kairos app key', { vendor: 'kairos', appId: 'app-id-1', appKey: 'k\r\nx-evil: 1' }],
    ['biometric.kz API key', { vendor: 'biometric-kz', apiKey: 'kz-key\u0000' }],
    ['biometric.kz API key', { vendor: 'biometric-kz', apiKey: 'kz-key-€' }],
  ] as [string, VendorCredentials][])(
    'refuses a bad %s as invalid-secret, names the fix, writes nothing',
    async (label, credentials) => {
      await writeVendorCredentials(keychain.store, {
        vendor: 'kairos',
        appId: 'good-id',
        appKey: 'good-key',
      });
      await writeVendorCredentials(keychain.store, { vendor: 'biometric-kz', apiKey: 'good-kz' });
      const error = await refusal(writeVendorCredentials(keychain.store, credentials));
      expect(error.code).toBe('invalid-secret');
      expect(error.message).toContain(label);
      expect(error.message).toContain(`kiosk-verify secrets set ${credentials.vendor}`);
      const values =
        credentials.vendor === 'kairos'
          ? [credentials.appId, credentials.appKey]
          : [credentials.apiKey];
      for (const value of values) expect(JSON.stringify(error.toJSON())).not.toContain(value);
      // What was there before is untouched.
      expect(await readVendorCredentials(keychain.store, 'kairos')).toEqual({
        vendor: 'kairos',
        appId: 'good-id',
        appKey: 'good-key',
      });
      expect(await readVendorCredentials(keychain.store, 'biometric-kz')).toEqual({
        vendor: 'biometric-kz',
        apiKey: 'good-kz',
      });
    },
  );

  it('refuses before touching a keychain that has no entry yet', async () => {
    await refusal(
      writeVendorCredentials(keychain.store, { vendor: 'kairos', appId: 'ïd', appKey: 'key' }),
    );
    expect(await keychain.store.has('kairos.credentials')).toBe(false);
  });
});

describe('unsendableCredential', () => {
  it('names the first credential that cannot travel, or nothing', () => {
    expect(unsendableCredential({ vendor: 'kairos', appId: 'id', appKey: 'key' })).toBeUndefined();
    expect(unsendableCredential({ vendor: 'kairos', appId: 'id\t', appKey: 'kéy' })).toBe(
      'Kairos app ID',
    );
    expect(unsendableCredential({ vendor: 'biometric-kz', apiKey: 'a b' })).toBe(
      'biometric.kz API key',
    );
  });
});
