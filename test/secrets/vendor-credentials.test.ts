import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { getOrCreateQueueDataKey } from '../../main/secrets/queue-data-key.js';
import { readSecretStatus } from '../../main/secrets/secret-status.js';
import {
  deleteVendorCredentials,
  readVendorCredentials,
  writeVendorCredentials,
} from '../../main/secrets/vendor-credentials.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

describe('vendor credentials in the real keychain', () => {
  beforeAll(requireRealKeychain);
  const keychain = isolatedKeychainStore();
  afterEach(keychain.cleanup);

  it('reads back the Kairos app id and key that were written', async () => {
    await writeVendorCredentials(keychain.store, {
      vendor: 'kairos',
      appId: 'app-id-1',
      appKey: 'app-key-1',
    });
    expect(await readVendorCredentials(keychain.store, 'kairos')).toEqual({
      vendor: 'kairos',
      appId: 'app-id-1',
      appKey: 'app-key-1',
    });
  });

  it('keeps the Kairos app ID and key in one entry, replaced together', async () => {
    await writeVendorCredentials(keychain.store, { vendor: 'kairos', appId: 'a-1', appKey: 'k-1' });
    await writeVendorCredentials(keychain.store, { vendor: 'kairos', appId: 'a-2', appKey: 'k-2' });
    expect(await readVendorCredentials(keychain.store, 'kairos')).toEqual({
      vendor: 'kairos',
      appId: 'a-2',
      appKey: 'k-2',
    });
    expect(JSON.parse((await keychain.store.get('kairos.credentials'))!)).toEqual({
      appId: 'a-2',
      appKey: 'k-2',
    });
  });

  it('names the entry and the fix, never the value, when credentials are missing or damaged', async () => {
    const missing = await readVendorCredentials(keychain.store, 'kairos').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'missing-secret' });
    expect(String((missing as Error).message)).toMatch(/kairos\.credentials/);
    expect(String((missing as Error).message)).toMatch(/kiosk-verify secrets set kairos/);

    // Written by hand (or half-edited) with only the app ID in it.
    await keychain.store.set('kairos.credentials', '{"appId":"present-id-77"}');
    const damaged = await readVendorCredentials(keychain.store, 'kairos').catch((e: unknown) => e);
    expect(damaged).toMatchObject({ code: 'invalid-secret' });
    expect(String((damaged as Error).message)).toMatch(/kiosk-verify secrets set kairos/);
    expect(String((damaged as Error).message)).not.toContain('present-id-77');
  });

  it('removes a vendor’s credentials so it reads as not set', async () => {
    await writeVendorCredentials(keychain.store, { vendor: 'biometric-kz', apiKey: 'kz-1' });
    expect(await deleteVendorCredentials(keychain.store, 'biometric-kz')).toBe(true);
    await expect(readVendorCredentials(keychain.store, 'biometric-kz')).rejects.toMatchObject({
      code: 'missing-secret',
    });
  });

  it('creates the queue data key once and returns the same 32 bytes afterwards', async () => {
    const first = await getOrCreateQueueDataKey(keychain.store);
    const second = await getOrCreateQueueDataKey(keychain.store);
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    expect(await keychain.store.get('queue.dataKey')).toBe(first.toString('base64'));
  });
});

describe('secret status and the data key (in-memory twin)', () => {
  it('reports only set / not set, never a value', async () => {
    const store = new MemorySecretStore({ 'biometric-kz.apiKey': 'kz-secret-456' });
    await writeVendorCredentials(store, { vendor: 'kairos', appId: 'id-secret-123', appKey: 'k' });
    const status = await readSecretStatus(store);
    expect(status).toEqual({
      entries: {
        'kairos.credentials': 'set',
        'biometric-kz.apiKey': 'set',
        'queue.dataKey': 'not-set',
      },
      vendors: { kairos: 'set', 'biometric-kz': 'set' },
    });
    expect(await deleteVendorCredentials(store, 'kairos')).toBe(true);
    expect((await readSecretStatus(store)).vendors).toEqual({
      kairos: 'not-set',
      'biometric-kz': 'set',
    });
    const json = JSON.stringify(status);
    expect(json).not.toContain('id-secret-123');
    expect(json).not.toContain('kz-secret-456');
  });

  it('refuses a damaged data key instead of replacing it', async () => {
    const store = new MemorySecretStore({ 'queue.dataKey': 'dG9vLXNob3J0' });
    await expect(getOrCreateQueueDataKey(store)).rejects.toMatchObject({ code: 'invalid-secret' });
    expect(await store.get('queue.dataKey')).toBe('dG9vLXNob3J0');
  });
});
