/**
 * The queue's data key: 32 random bytes (AES-256) kept base64 in the keychain, so the images in
 * the queue's database are unreadable to anyone who copies the file without the OS account.
 */
import { randomBytes } from 'node:crypto';
import { SecretStoreError, type SecretStore } from './secret-store.js';

export const QUEUE_DATA_KEY_BYTES = 32;

/**
 * Returns the data key, creating it on first use. An existing key that does not decode to 32
 * bytes is an error and is never replaced: replacing it would make every queued job unreadable.
 */
export async function getOrCreateQueueDataKey(store: SecretStore): Promise<Buffer> {
  const existing = await store.get('queue.dataKey');
  if (existing !== null) return decodeDataKey(existing);
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
