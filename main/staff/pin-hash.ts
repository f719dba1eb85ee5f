/**
 * The staff PIN as a salted scrypt hash (node:crypto's asynchronous scrypt, which runs on
 * libuv's thread pool: never scryptSync, which would freeze the kiosk's main thread for the
 * length of a hash). The parameters are stored beside each hash, so they can be raised later
 * without locking anyone out: a PIN hashed with older ones still verifies, and is hashed again
 * with the current ones at its next successful sign-in.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

const MiB = 1024 * 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
  maxmem: number;
}

/**
 * The parameters for new PINs. A six-digit PIN has only 10^6 values, so no hash makes a stolen
 * file safe for long; what the hash buys is time, and the real guard is the file's 0600 mode
 * and the five-tries lockout. Chosen so that guessing every six-digit PIN from a stolen file
 * costs about a day of one CPU core, while a clerk waits a tenth of a second.
 */
export const PIN_SCRYPT: ScryptParams = {
  // Cost 2^15: 128·N·r = 32 MiB of memory per try, and about 170 ms of one core on the 2-core
  // development VM while it was busy (other test suites running; less on an idle core): a
  // clerk does not notice it, and 10^6 tries cost a guesser about a day of a core (14 hours at
  // 50 ms a try, 47 at 170). The memory keeps a GPU from running thousands at once cheaply.
  // RFC 7914's interactive-login figure; raise N (a power of two) as kiosks get faster.
  N: 2 ** 15,
  // Block size 8 (1 KiB blocks): the value scrypt was tuned for and every library's default;
  // cost is raised through N, not r.
  r: 8,
  // Parallelism 1: the kiosk checks one PIN at a time, and p > 1 adds CPU time without memory,
  // which helps a guesser with many cores as much as it costs us.
  p: 1,
  // 32 bytes (256 bits) of output: far more than a 6-12 digit input holds; longer adds nothing.
  keylen: 32,
  // Node refuses a hash needing more than maxmem; its 32 MiB default is just under what
  // N = 2^15, r = 8 needs (32 MiB plus scrypt's small buffers), so twice the need.
  maxmem: 64 * MiB,
};

/** 16 random bytes per PIN: no table computed once serves two kiosks or two PINs. */
const SALT_BYTES = 16;

/** The most memory a stored hash may ask for: a tampered file must not exhaust the kiosk. */
const MAX_MEMORY = 512 * MiB;

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);

/** A stored PIN hash, checked when read: parameters within bounds, lengths that agree. */
export const PinHashSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(2 ** 10)
      .max(2 ** 22)
      .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    keylen: z.number().int().min(16).max(64),
    maxmem: z.number().int().min(MiB).max(MAX_MEMORY),
    salt: base64,
    hash: base64,
  })
  .refine((h) => 128 * h.N * h.r <= h.maxmem, 'maxmem is too small for N and r')
  .refine((h) => Buffer.from(h.hash, 'base64').length === h.keylen, 'hash length is not keylen')
  .refine((h) => Buffer.from(h.salt, 'base64').length >= SALT_BYTES, 'salt is too short');
export type PinHash = z.infer<typeof PinHashSchema>;

function derive(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: params.maxmem,
  };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, params.keylen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a PIN with a new random salt; the result holds the parameters used. */
export async function hashPin(pin: string, params: ScryptParams = PIN_SCRYPT): Promise<PinHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, params);
  return {
    algorithm: 'scrypt',
    ...params,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
}

/** Whether the PIN is the one hashed, compared in constant time. */
export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(pin, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a hash was made with other parameters than these (it is hashed again). */
export function isOutdated(stored: PinHash, params: ScryptParams = PIN_SCRYPT): boolean {
  return (
    stored.N !== params.N ||
    stored.r !== params.r ||
    stored.p !== params.p ||
    stored.keylen !== params.keylen
  );
}
