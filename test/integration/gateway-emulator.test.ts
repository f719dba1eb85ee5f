/**
 * Every vendor API through the real gateway against the emulator over HTTP on 127.0.0.1:
 * the documented answers, and each error class produced by the emulator's fault controls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiId } from '../../model/apis.js';
import { startEmulator, type VendorEmulator } from '../../main/emulator/index.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import { verdictOf } from '../../model/result-model.js';
import type { PreparedImage, VendorCredentials, VerificationRequest } from '../../model/request.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { TRAINING_BIOMETRIC_KZ, TRAINING_KAIROS } from '../helpers/emulators.js';

const kairos = TRAINING_KAIROS;
const bkz = TRAINING_BIOMETRIC_KZ;

let emulator: VendorEmulator;
let gateway: VendorGateway;
let selfie: PreparedImage;
let idPhoto: PreparedImage;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  gateway = new VendorGateway({
    baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
    timeouts: { deadlineMs: 1_500 },
  });
  selfie = await makePreparedJpeg(960, 720, 21);
  idPhoto = await makePreparedJpeg(600, 600, 22, 'id.jpg');
});
afterAll(async () => {
  await gateway.close();
  await emulator.close();
});
afterEach(() => {
  emulator.reset();
});

const APIS: ApiId[] = [
  'kairos-liveness-v0.1',
  'kairos-liveness-v0.2',
  'kairos-biometric-v0.1',
  'biometric-kz-liveness-short',
];

function requestFor(api: ApiId, image: PreparedImage = selfie): VerificationRequest {
  return api === 'kairos-biometric-v0.1'
    ? { kind: 'match', api, selfie: image, image: idPhoto, multiface: false, threshold: 0.6 }
    : { kind: 'liveness', api, selfie: image, threshold: 0.6 };
}

function credentialsFor(api: ApiId): VendorCredentials {
  return api === 'biometric-kz-liveness-short' ? bkz : kairos;
}

async function failure(
  api: ApiId,
  image?: PreparedImage,
  credentials = credentialsFor(api),
): Promise<VendorError> {
  const error = await gateway.send(requestFor(api, image), { credentials }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

describe.each(APIS)('%s against the emulator', (api) => {
  it('returns a verified result for a good image, with the same score every time', async () => {
    const first = await gateway.send(requestFor(api), { credentials: credentialsFor(api) });
    const second = await gateway.send(requestFor(api), { credentials: credentialsFor(api) });
    expect(first.api).toBe(api);
    expect(first.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(first.requestId).not.toBe(second.requestId);
    expect(first.liveness.score).toBe(second.liveness.score);
    expect(verdictOf(first)).toBe('verified');
    if (api !== 'biometric-kz-liveness-short')
      expect(first.imageSize).toEqual({ width: 960, height: 720 });
  });

  it('reports a low liveness score as not verified', async () => {
    emulator.setScores(api, { liveness: 0.12 });
    const result = await gateway.send(requestFor(api), { credentials: credentialsFor(api) });
    expect(result.liveness.score).toBeCloseTo(0.12, 4);
    expect(result.liveness.live).toBe(false);
    expect(verdictOf(result)).toBe('not-verified');
  });

  it('fails with auth when the credentials are wrong', async () => {
    const wrong: VendorCredentials =
      api === 'biometric-kz-liveness-short'
        ? { vendor: 'biometric-kz', apiKey: 'not-the-key-000' }
        : { vendor: 'kairos', appId: 'nobody', appKey: 'not-the-key-000' };
    const error = await failure(api, undefined, wrong);
    expect(error.code).toBe('auth');
    expect(error.retryable).toBe(false);
  });

  it('fails with usage-limit once the quota is used up', async () => {
    emulator.setFaults(api, { usageLimitAfter: 1 });
    await gateway.send(requestFor(api), { credentials: credentialsFor(api) });
    const error = await failure(api);
    expect(error.code).toBe('usage-limit');
    expect(error.status).toBe(403);
  });

  it.each([
    [{ serverErrorStatus: 503 }, 'server'],
    [{ proxyHtmlError: true }, 'server'],
    [{ malformedJson: true }, 'bad-response'],
    [{ wrongShapeJson: true }, 'bad-response'],
    [{ neverAnswer: true }, 'outcome-unknown'],
  ] as const)('maps the fault %j to %s', async (faults, code) => {
    emulator.setFaults(api, faults);
    const error = await failure(api);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(true);
  });

  it('maps a reset in the middle of a slow upload to network', async () => {
    // Kernel socket buffers on loopback swallow several MB; a body larger than they can hold is
    // still being uploaded when the reset comes, as a selfie is on a slow branch link.
    emulator.setFaults(api, { resetAfterBytes: 20_000, bandwidthBytesPerSecond: 200_000 });
    const large: PreparedImage = {
      bytes: Buffer.alloc(24 * 1024 * 1024, 1),
      fileName: 'large.jpg',
      contentType: 'image/jpeg',
    };
    const error = await failure(api, large);
    expect(error.code).toBe('network');
    expect(emulator.requests().map((r) => r.outcome)).toEqual(['connection-reset']);
  });
});

describe('documented input rules, enforced by the emulator', () => {
  it('rejects a v0.2 selfie below 300 px with the reason kept', async () => {
    const tiny = await makePreparedJpeg(280, 200, 23);
    const error = await failure('kairos-liveness-v0.2', tiny);
    expect(error.code).toBe('rejected-input');
    expect(error.vendorReason).toMatch(/300/);
  });

  it('rejects a biometric selfie below 480x480', async () => {
    const small = await makePreparedJpeg(640, 400, 24);
    const error = await failure('kairos-biometric-v0.1', small);
    expect(error.code).toBe('rejected-input');
    expect(error.vendorReason).toMatch(/480/);
  });

  it('accepts a v0.1 selfie of any size, as its page states no rule', async () => {
    const tiny = await makePreparedJpeg(95, 71, 25);
    const result = await gateway.send(requestFor('kairos-liveness-v0.1', tiny), {
      credentials: kairos,
    });
    expect(result.imageSize).toEqual({ width: 95, height: 71 });
  });
});
