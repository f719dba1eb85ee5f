/**
 * Credentials that cannot travel (a non-ASCII character, a pasted line break) are a credentials
 * problem (`auth`: pause and alert), refused before any connection is used: never `network`,
 * and never a pooled connection left busy so that a later, good send hangs. Also: a 404 or 405
 * means the address is wrong, not the keys.
 */
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmulator,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import { postMultipart } from '../../main/vendors/http-transport.js';
import { isSendableCredential } from '../../model/request.js';
import type { LivenessRequest, PreparedImage, VendorCredentials } from '../../model/request.js';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { TRAINING_BIOMETRIC_KZ, TRAINING_KAIROS } from '../helpers/emulators.js';

const kairos = TRAINING_KAIROS;
const bkz = TRAINING_BIOMETRIC_KZ;

/** Values a person can paste by mistake; none of them can go in a header intact. */
const UNSENDABLE = [
  ['a euro sign', 'training-app-k€y'],
  ['Cyrillic letters', 'ключ-training'],
  ['a Latin-1 accent', 'training-app-kéy'],
  ['a pasted line break', 'training-app-key\r\nx-injected: 1'],
  ['a control character', 'training-app-key\u0000'],
  ['a non-breaking space', 'training\u00a0app-key'],
  ['an inner space', 'training app-key'],
] as const;

let emulator: VendorEmulator;
let selfie: PreparedImage;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  selfie = await makePreparedJpeg(960, 720, 31);
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  emulator.reset();
  while (cleanups.length > 0) await cleanups.pop()!();
});

function liveness(api: LivenessRequest['api'] = 'kairos-liveness-v0.2'): LivenessRequest {
  return { kind: 'liveness', api, selfie, threshold: 0.6 };
}

function gatewayFor(url: string): VendorGateway {
  const gateway = new VendorGateway({
    baseUrls: { kairos: url, 'biometric-kz': url },
    timeouts: { deadlineMs: 5_000 },
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

/** How a send ended, within `ms`: today's bug was a send that never ends. */
async function outcomeWithin(
  promise: Promise<unknown>,
  ms = 8_000,
): Promise<'ok' | 'hung' | VendorError> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => 'ok' as const,
        (error: unknown) => {
          if (error instanceof VendorError) return error;
          throw error;
        },
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('isSendableCredential', () => {
  it('takes visible ASCII and nothing else', () => {
    for (const good of ['training-app-key', 'A1b2_C3.d4~e5+/=', '{"x":1}'])
      expect(isSendableCredential(good)).toBe(true);
    for (const [, bad] of UNSENDABLE) expect(isSendableCredential(bad)).toBe(false);
    expect(isSendableCredential('')).toBe(false);
  });
});

describe('an unsendable Kairos key through the gateway', () => {
  it.each(UNSENDABLE)(
    'refuses a key with %s as auth, naming the fix, sending nothing',
    async (_, appKey) => {
      const gateway = gatewayFor(emulator.url);
      const outcome = await outcomeWithin(
        gateway.send(liveness(), { credentials: { ...kairos, appKey } as VendorCredentials }),
      );
      expect(outcome).toBeInstanceOf(VendorError);
      const error = outcome as VendorError;
      expect(error.code).toBe('auth');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('Kairos app key');
      expect(error.message).toContain('kiosk-verify secrets set kairos');
      expect(error.message).not.toContain(appKey);
      expect(JSON.stringify(error.toJSON())).not.toContain(appKey);
      expect(emulator.requests()).toHaveLength(0);
    },
  );

  it('names the app ID when that is the bad one', async () => {
    const outcome = await outcomeWithin(
      gatewayFor(emulator.url).send(liveness('kairos-liveness-v0.1'), {
        credentials: { ...kairos, appId: 'app-ïd' } as VendorCredentials,
      }),
    );
    expect((outcome as VendorError).code).toBe('auth');
    expect((outcome as VendorError).message).toContain('Kairos app ID');
  });

  it('leaks no pooled connection: after 10 refused sends a good send completes', async () => {
    const gateway = gatewayFor(emulator.url);
    const refused: unknown[] = [];
    for (let i = 0; i < 10; i += 1) {
      refused.push(
        await outcomeWithin(
          gateway.send(liveness(), {
            credentials: { ...kairos, appKey: 'ключ-training' } as VendorCredentials,
          }),
        ),
      );
    }
    const good = await outcomeWithin(gateway.send(liveness(), { credentials: kairos }));
    expect(good).toBe('ok');
    expect(refused.map((outcome) => (outcome as VendorError).code)).toEqual(
      Array.from({ length: 10 }, () => 'auth'),
    );
  });

  it('leaks nothing with several refused sends in flight at once, either', async () => {
    const gateway = gatewayFor(emulator.url);
    const bad = Array.from({ length: 8 }, () =>
      outcomeWithin(
        gateway.send(liveness(), {
          credentials: { ...kairos, appKey: 'k€y-training' } as VendorCredentials,
        }),
      ),
    );
    for (const outcome of await Promise.all(bad))
      expect((outcome as VendorError).code).toBe('auth');
    const good = await Promise.all(
      [1, 2, 3, 4, 5].map(() => outcomeWithin(gateway.send(liveness(), { credentials: kairos }))),
    );
    expect(good).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('an unsendable biometric.kz key (a form field)', () => {
  it.each([
    ['a line break', `${TRAINING_CREDENTIALS.biometricKz.apiKey}\r\nx`],
    ['a non-ASCII letter', `${TRAINING_CREDENTIALS.biometricKz.apiKey}ü`],
    ['a control character', `${TRAINING_CREDENTIALS.biometricKz.apiKey}\u0007`],
  ])('refuses a key with %s as auth before sending', async (_, apiKey) => {
    const gateway = gatewayFor(emulator.url);
    const outcome = await outcomeWithin(
      gateway.send(liveness('biometric-kz-liveness-short'), {
        credentials: { ...bkz, apiKey } as VendorCredentials,
      }),
    );
    expect((outcome as VendorError).code).toBe('auth');
    expect((outcome as VendorError).message).toContain('biometric.kz API key');
    expect((outcome as VendorError).message).toContain('kiosk-verify secrets set biometric-kz');
    expect((outcome as VendorError).message).not.toContain(apiKey);
    expect(emulator.requests()).toHaveLength(0);
    expect(
      await outcomeWithin(
        gateway.send(liveness('biometric-kz-liveness-short'), { credentials: bkz }),
      ),
    ).toBe('ok');
  });
});

describe('the transport on its own', () => {
  it('refuses a header undici cannot send as auth and keeps its one connection usable', async () => {
    const server: CaptureServer = await startCaptureServer((_req, res) =>
      answerJson(res, 200, { ok: true }),
    );
    const pool = new Pool(server.url, { connections: 1 });
    cleanups.push(async () => {
      await pool.destroy();
      await server.close();
    });
    const post = (appKey: string) =>
      postMultipart(pool, {
        url: new URL('/v0.1/liveness', server.url),
        headers: { app_key: appKey, 'content-type': 'multipart/form-data; boundary=x' },
        body: Buffer.from('--x--\r\n'),
        vendorName: 'Kairos',
        deadlineMs: 5_000,
      });
    for (let i = 0; i < 5; i += 1) {
      const outcome = await outcomeWithin(post('ключ'));
      expect((outcome as VendorError).code).toBe('auth');
      expect((outcome as VendorError).message).toContain('app_key header');
      expect((outcome as VendorError).message).not.toContain('ключ');
    }
    expect(await outcomeWithin(post('a-good-key'))).toBe('ok');
    expect(server.received).toHaveLength(1);
  });
});

describe('a wrong address', () => {
  it('calls a 404 from a wrong base URL a wrong address, not a credentials problem', async () => {
    const gateway = gatewayFor(`${emulator.url}/wrong-prefix`);
    const outcome = await outcomeWithin(gateway.send(liveness(), { credentials: kairos }));
    const error = outcome as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error.code).not.toBe('auth');
    expect(error.code).toBe('bad-response');
    expect(error.status).toBe(404);
    expect(error.message).toContain('404 Not Found');
    expect(error.message).toContain(`${emulator.url}/wrong-prefix/`);
    expect(error.message).toMatch(/base URL is probably wrong/);
    expect(error.message).toContain('--base-url');
  });

  it('calls a 405 the same, and never shows a password in the address', async () => {
    const server = await startCaptureServer((_req, res) =>
      answerJson(res, 405, { message: 'Method Not Allowed' }),
    );
    cleanups.push(() => server.close());
    const withUser = new URL(server.url);
    withUser.username = 'proxyuser';
    withUser.password = 'proxy-password';
    const outcome = await outcomeWithin(
      gatewayFor(withUser.toString()).send(liveness(), { credentials: kairos }),
    );
    const error = outcome as VendorError;
    expect(error.code).toBe('bad-response');
    expect(error.status).toBe(405);
    expect(error.message).toContain('405 Method Not Allowed');
    expect(error.message).toMatch(/base URL is probably wrong/);
    expect(error.message).not.toContain('proxy-password');
  });
});
