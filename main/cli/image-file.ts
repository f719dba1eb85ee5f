/** Reads an image file the operator named, checking by content that it is JPEG or PNG. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PreparedImage } from '../vendors/request.js';
import { CliError } from './cli-error.js';

export async function readImageFile(path: string): Promise<PreparedImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError('input', `Cannot read ${path}${code ? ` (${code})` : ''}.`);
  }
  if (bytes.length === 0) throw new CliError('input', `${path} is empty.`);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isJpeg && !isPng) {
    throw new CliError('input', `${path} is not a JPEG or PNG image.`);
  }
  return { bytes, fileName: basename(path), contentType: isJpeg ? 'image/jpeg' : 'image/png' };
}
