/**
 * Images at rest: AES-256-GCM under the queue's data key, a fresh random 96-bit nonce per image
 * (GCM's recommended size; random nonces are safe far beyond the number of images one key will
 * ever see), and the job id, image role and content type bound as associated data, so a blob
 * cannot be swapped into another job or role without failing authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { dataKeyId } from '../../secrets/queue-data-key.js';
import { QueueError } from '../queue-errors.js';

export const IMAGE_ROLES = ['selfie', 'id-photo'] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

export interface ImageBinding {
  jobId: string;
  role: ImageRole;
  contentType: string;
  fileName: string;
}

export interface SealedImage {
  /** Which data key sealed it (see dataKeyId), so a replaced key gives a clear reason. */
  keyId: string;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_VERSION = 'kiosk-verify/queue-image/v1';

export function sealImage(key: Buffer, binding: ImageBinding, bytes: Uint8Array): SealedImage {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return { keyId: dataKeyId(key), nonce, tag: cipher.getAuthTag(), ciphertext };
}

/** Decrypts and authenticates one image; any failure is a QueueError('unreadable-images'). */
export function openImage(key: Buffer, binding: ImageBinding, sealed: SealedImage): Buffer {
  if (sealed.keyId !== dataKeyId(key)) {
    throw new QueueError(
      'unreadable-images',
      `The ${binding.role} image was encrypted under a different data key than the one in the ` +
        'keychain (was the keychain reset?); it cannot be decrypted.',
    );
  }
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new QueueError('unreadable-images', `The stored ${binding.role} image is damaged.`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (error) {
    throw new QueueError(
      'unreadable-images',
      `The stored ${binding.role} image failed its integrity check (tampered or damaged on disk).`,
      { cause: error },
    );
  }
}

function associatedData(binding: ImageBinding): Buffer {
  return Buffer.from(
    [AAD_VERSION, binding.jobId, binding.role, binding.contentType, binding.fileName].join('\0'),
    'utf8',
  );
}
