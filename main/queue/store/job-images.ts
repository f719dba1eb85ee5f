/** A job's images: sealed for the job_images table, and opened back into a gateway request. */
import {
  IMAGE_CONTENT_TYPES,
  type ImageContentType,
  type PreparedImage,
  type VerificationRequest,
} from '../../../model/request.js';
import { openImage, sealImage, type ImageRole, type SealedImage } from './image-cipher.js';
import type { Job } from '../job.js';
import { QueueError } from '../queue-errors.js';

export interface ImageRow {
  role: ImageRole;
  content_type: string;
  file_name: string;
  key_id: string;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function sealRequestImages(
  key: Buffer,
  jobId: string,
  request: VerificationRequest,
): ImageRow[] {
  const images: [ImageRole, PreparedImage][] = [['selfie', request.selfie]];
  if (request.kind === 'match') images.push(['id-photo', request.image]);
  return images.map(([role, image]) => {
    const binding = { jobId, role, contentType: image.contentType, fileName: image.fileName };
    const sealed = sealImage(key, binding, image.bytes);
    return {
      role,
      content_type: image.contentType,
      file_name: image.fileName,
      key_id: sealed.keyId,
      nonce: sealed.nonce,
      tag: sealed.tag,
      ciphertext: sealed.ciphertext,
    };
  });
}

/** Rebuilds the request the job was enqueued with; throws QueueError('unreadable-images'). */
export function openRequestImages(
  key: Buffer,
  job: Job,
  rows: readonly ImageRow[],
): VerificationRequest {
  const selfie = openRole(key, job, rows, 'selfie');
  if (job.options.kind === 'liveness') {
    if (job.api === 'kairos-biometric-v0.1')
      throw new QueueError('unreadable-record', 'liveness options on a match API');
    return { kind: 'liveness', api: job.api, selfie, threshold: job.options.threshold };
  }
  if (job.api !== 'kairos-biometric-v0.1')
    throw new QueueError('unreadable-record', 'match options on a liveness API');
  return {
    kind: 'match',
    api: job.api,
    selfie,
    image: openRole(key, job, rows, 'id-photo'),
    multiface: job.options.multiface,
    threshold: job.options.threshold,
  };
}

function openRole(
  key: Buffer,
  job: Job,
  rows: readonly ImageRow[],
  role: ImageRole,
): PreparedImage {
  const row = rows.find((candidate) => candidate.role === role);
  if (!row) {
    throw new QueueError(
      'unreadable-images',
      `The job's ${role} image is missing from the queue database.`,
    );
  }
  if (!isImageContentType(row.content_type)) {
    throw new QueueError('unreadable-images', `The stored ${role} image has an unknown type.`);
  }
  const sealed: SealedImage = {
    keyId: row.key_id,
    nonce: row.nonce,
    tag: row.tag,
    ciphertext: row.ciphertext,
  };
  const binding = { jobId: job.id, role, contentType: row.content_type, fileName: row.file_name };
  return {
    bytes: openImage(key, binding, sealed),
    fileName: row.file_name,
    contentType: row.content_type,
  };
}

function isImageContentType(value: string): value is ImageContentType {
  return (IMAGE_CONTENT_TYPES as readonly string[]).includes(value);
}
