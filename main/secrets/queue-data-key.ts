/**
 * The queue's data key: 32 random bytes (AES-256) kept base64 in the keychain, so the images in
 * the queue's database are unreadable to anyone who copies the file without the OS account.
 *
 * The key is never replaced while a queued job needs it. The queue records which key sealed
 * each image (dataKeyId, a fingerprint that reveals nothing about the key); when the keychain
 * has no key, or another one, while jobs are sealed under a key, nothing is created and nothing
 * is failed: the caller gets 'data-key-unavailable' and the jobs wait, encrypted, until the
 * right key is back (a restored keychain entry, the kiosk's own OS account, an unlocked keyring).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { SecretStoreError, type SecretStore } from './secret-store.js';

export const QUEUE_DATA_KEY_BYTES = 32;

/**
 * A short, non-secret name for a data key: an HMAC under the key itself, so it reveals nothing
 * about the key but tells "sealed under another key" apart from "tampered".
 */
export function dataKeyId(key: Buffer): string {
  return createHmac('sha256', key)
    .update('kiosk-verify queue data key id')
    .digest('hex')
    .slice(0, 16);
}

export interface QueueDataKeyNeeds {
  /** The key ids the queue's stored images are sealed with (empty: nothing needs a key). */
  sealedWith?: readonly string[];
  /** How many jobs are waiting on those images, for the message. */
  jobs?: number;
}

/**
 * Returns the data key. Creates one only when the keychain has none and no stored image needs
 * one. An existing key that does not decode to 32 bytes is an error and is never replaced.
 */
export async function getOrCreateQueueDataKey(
  store: SecretStore,
  needs: QueueDataKeyNeeds = {},
): Promise<Buffer> {
  const sealedWith = [...new Set(needs.sealedWith ?? [])];
  // A locked or unreachable keychain throws here, before anything could be written.
  const existing = await store.get('queue.dataKey');
  if (existing !== null) {
    const key = decodeDataKey(existing);
    const id = dataKeyId(key);
    const foreign = sealedWith.filter((sealed) => sealed !== id);
    if (foreign.length > 0) {
      key.fill(0);
      throw dataKeyUnavailable(foreign, needs.jobs, `holds a different key (${id})`);
    }
    return key;
  }
  if (sealedWith.length > 0) {
    throw dataKeyUnavailable(sealedWith, needs.jobs, 'has no entry "queue.dataKey"');
  }
  await store.set('queue.dataKey', randomBytes(QUEUE_DATA_KEY_BYTES).toString('base64'));
  // Read back rather than trust what we wrote: if two processes raced to create the key on
  // first start, both continue with whichever write the keychain kept.
  const stored = await store.get('queue.dataKey');
  if (stored === null) {
    throw new SecretStoreError(
      'keychain-unavailable',
      'The keychain did not keep the queue data key.',
    );
  }
  return decodeDataKey(stored);
}

function dataKeyUnavailable(
  needed: readonly string[],
  jobs: number | undefined,
  found: string,
): SecretStoreError {
  const waiting =
    jobs === undefined ? 'Queued verifications are' : `${jobs} queued verification(s) are`;
  return new SecretStoreError(
    'data-key-unavailable',
    `${waiting} encrypted with the queue data key ${needed.join(', ')}, but this keychain ` +
      `${found}. Nothing was changed and no new key was made: the verifications wait, ` +
      "encrypted, and are delivered once the key is back. Run Kiosk Verify as the kiosk's own " +
      'OS account (the one that queued them), or restore the keychain entry "queue.dataKey" ' +
      'from that account\'s keychain. "kiosk-verify queue list" works meanwhile.',
  );
}

function decodeDataKey(encoded: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== QUEUE_DATA_KEY_BYTES || key.toString('base64') !== encoded.trim()) {
    throw new SecretStoreError(
      'invalid-secret',
      `The queue data key in the keychain is not ${QUEUE_DATA_KEY_BYTES} base64-encoded bytes. ` +
        'Queued jobs cannot be decrypted without the original key: restore the keychain entry ' +
        '"queue.dataKey", or delete it to start afresh (jobs already queued will then fail).',
    );
  }
  return key;
}
