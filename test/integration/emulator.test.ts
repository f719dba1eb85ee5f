/**
 * The vendor emulator over real HTTP on 127.0.0.1: every endpoint's documented answers, its
 * rules, every fault, and the /__emulator/ controls. Images are made here with sharp.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import FormData from 'form-data';
import sharp, { type Sharp } from 'sharp';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_PATH, type ApiId } from '../../model/apis.js';
import {
  TRAINING_CREDENTIALS,
  type FaceDetector,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { KAIROS_BIOMETRIC_SAMPLE } from '../helpers/vendor-samples.js';
import { useEmulators } from '../helpers/emulators.js';

// ---- images -------------------------------------------------------------------------------

/** A smooth RGB gradient; `shift` makes a different picture of the same size. */
async function gradient(width: number, height: number, shift = 0): Promise<Sharp> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      pixels[offset] = Math.floor((x / width) * 255 + shift) % 256;
      pixels[offset + 1] = Math.floor((y / height) * 255) % 256;
      pixels[offset + 2] = (x + y + shift) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

async function gradientJpeg(width: number, height: number, shift = 0): Promise<Buffer> {
  return (await gradient(width, height, shift)).jpeg({ quality: 90 }).toBuffer();
}

/** Random pixels compress badly: a 640x480 JPEG of them is well over 200 KB. */
async function noisyJpeg(): Promise<Buffer> {
  const pixels = Buffer.alloc(640 * 480 * 3);
  for (let index = 0; index < pixels.length; index += 1) {
    pixels[index] = (index * 2654435761) >>> 24;
  }
  const jpeg = await sharp(pixels, { raw: { width: 640, height: 480, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
  if (jpeg.length < 200_000) throw new Error(`noisy JPEG is only ${jpeg.length} bytes`);
  return jpeg;
}

let selfieJpeg: Buffer;
let otherSelfieJpeg: Buffer;
let idPhotoJpeg: Buffer;
let smallJpeg: Buffer;
let bigUpload: Buffer;
let gif: Buffer;

beforeAll(async () => {
  selfieJpeg = await gradientJpeg(640, 480);
  otherSelfieJpeg = await gradientJpeg(640, 480, 97);
  idPhotoJpeg = await gradientJpeg(600, 800, 31);
  smallJpeg = await gradientJpeg(200, 200);
  bigUpload = await noisyJpeg();
  // GIF encoding (palette quantisation) is slow: make it once.
  gif = await (await gradient(640, 480)).gif().toBuffer();
});

// ---- emulator and requests ----------------------------------------------------------------

const emulatorWith = useEmulators();

type HeaderSpelling = 'underscore' | 'hyphen';

function kairosHeaders(
  spelling: HeaderSpelling = 'underscore',
  credentials = TRAINING_CREDENTIALS.kairos,
): Record<string, string> {
  return spelling === 'underscore'
    ? { app_id: credentials.appId, app_key: credentials.appKey }
    : { 'app-id': credentials.appId, 'app-key': credentials.appKey };
}

function livenessForm(selfie: Buffer, threshold: string | null = '0.6'): FormData {
  const form = new FormData();
  form.append('selfie', selfie, { filename: 'selfie.jpg', contentType: 'image/jpeg' });
  if (threshold !== null) form.append('threshold', threshold);
  return form;
}

function biometricForm(selfie: Buffer, image: Buffer, multiface?: string): FormData {
  const form = new FormData();
  form.append('selfie', selfie, { filename: 'selfie.jpg', contentType: 'image/jpeg' });
  form.append('image', image, { filename: 'id-photo.jpg', contentType: 'image/jpeg' });
  if (multiface !== undefined) form.append('image_multiface', multiface);
  return form;
}

function biometricKzForm(
  image: Buffer,
  fileName = 'face.jpg',
  apiKey: string | null = TRAINING_CREDENTIALS.biometricKz.apiKey,
): FormData {
  const form = new FormData();
  form.append('image', image, { filename: fileName, contentType: 'image/jpeg' });
  if (apiKey !== null) form.append('api_key', apiKey);
  return form;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Milliseconds from sending to the whole body read. */
  elapsedMs: number;
  /** Milliseconds from the headers to the whole body read. */
  bodyMs: number;
}

async function post(
  emulator: VendorEmulator,
  api: ApiId,
  form: FormData,
  headers: Record<string, string> = {},
  timeouts: { headersTimeout?: number } = {},
): Promise<Answer> {
  const startedAt = performance.now();
  const response = await request(emulator.url + API_PATH[api], {
    method: 'POST',
    headers: { ...form.getHeaders(), ...headers },
    body: form.getBuffer(),
    headersTimeout: timeouts.headersTimeout ?? 0,
    bodyTimeout: 0,
  });
  const headersAt = performance.now();
  const text = await response.body.text();
  const endedAt = performance.now();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    elapsedMs: endedAt - startedAt,
    bodyMs: endedAt - headersAt,
  };
}

function postLiveness(
  emulator: VendorEmulator,
  api: ApiId = 'kairos-liveness-v0.2',
  selfie: Buffer = selfieJpeg,
): Promise<Answer> {
  return post(emulator, api, livenessForm(selfie), kairosHeaders());
}

async function control(
  emulator: VendorEmulator,
  method: 'GET' | 'POST',
  name: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await request(`${emulator.url}/__emulator/${name}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-emulator-token': emulator.controlToken },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// ---- documented shapes --------------------------------------------------------------------

const KairosTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
const Point = z.strictObject({ x: z.number(), y: z.number() });
const KairosFace = z.strictObject({ confidence: z.number(), delta: Point, top_left: Point });
const KairosImage = {
  faces_predicted: z.array(KairosFace),
  img: z.strictObject({ height: z.number().int(), width: z.number().int() }),
};
const kairosEnvelope = <Data extends z.ZodType>(data: Data) =>
  z.strictObject({
    api_req_uid: z.uuid(),
    processed_at: KairosTimestamp,
    requested_at: KairosTimestamp,
    response_code: z.number().int(),
    response_data: data,
  });
const KairosLivenessSchema = kairosEnvelope(
  z.strictObject({ faces_liveness: z.number().min(0).max(1), ...KairosImage }),
);
const DecisionDetail = z.strictObject({
  code: z.string(),
  confidence: z.number(),
  decision: z.string(),
  description: z.string(),
});
const KairosBiometricSchema = kairosEnvelope(
  z.strictObject({
    biometric: z.strictObject({
      face_match_confidence: z.number().min(0).max(1),
      image: z.strictObject(KairosImage),
      selfie: z.strictObject({ faces_liveness: z.number().min(0).max(1), ...KairosImage }),
    }),
    decision: z.strictObject({
      details: z.array(DecisionDetail),
      reject_score: z.number(),
      review_score: z.number(),
      warning_score: z.number(),
    }),
  }),
);
const BiometricKzSchema = z.strictObject({
  backend_session_id: z.uuid(),
  result: z.boolean(),
  prediction: z.string().regex(/^[01]\.\d{6}$/),
  created_at: z.iso.datetime(),
  failure_reason: z.strictObject({ type: z.string(), detail: z.string() }).nullable(),
});

function expectVendorHeaders(answer: Answer, contentType = 'application/json'): void {
  expect(answer.headers['content-type']).toBe(contentType);
  expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
  expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['strict-transport-security']).toBe('max-age=86400; includeSubDomains');
}

function livenessOf(answer: Answer): number {
  return KairosLivenessSchema.parse(JSON.parse(answer.text)).response_data.faces_liveness;
}

// ---- Kairos liveness ----------------------------------------------------------------------

describe('Kairos liveness v0.1 and v0.2', () => {
  it.each(['kairos-liveness-v0.1', 'kairos-liveness-v0.2'] as const)(
    '%s answers a selfie in the documented shape with the whole image as one face',
    async (api) => {
      const emulator = await emulatorWith();
      const answer = await postLiveness(emulator, api);

      expect(answer.status).toBe(200);
      expectVendorHeaders(answer);
      const body = KairosLivenessSchema.parse(JSON.parse(answer.text));
      expect(body.api_req_uid).toBe(answer.headers['x-request-id']);
      expect(body.response_data.img).toEqual({ height: 480, width: 640 });
      expect(body.response_data.faces_predicted).toEqual([
        { confidence: 0.99, delta: { x: 640, y: 480 }, top_left: { x: 0, y: 0 } },
      ]);
      // Training pictures pass the documents' example threshold.
      expect(body.response_data.faces_liveness).toBeGreaterThanOrEqual(0.62);
      expect(body.response_data.faces_liveness).toBeLessThanOrEqual(0.99);
      expect(body.response_code).toBe(1);
    },
  );

  it.each([
    ['kairos-liveness-v0.1', 'underscore'],
    ['kairos-liveness-v0.1', 'hyphen'],
    ['kairos-liveness-v0.2', 'underscore'],
    ['kairos-liveness-v0.2', 'hyphen'],
  ] as const)('%s accepts the %s header spelling of the credentials', async (api, spelling) => {
    const emulator = await emulatorWith();
    const answer = await post(emulator, api, livenessForm(selfieJpeg), kairosHeaders(spelling));
    expect(answer.status).toBe(200);
  });

  it('refuses wrong or missing credentials with a 401 JSON answer', async () => {
    const emulator = await emulatorWith();
    const wrongKey = kairosHeaders('underscore', { appId: 'training-app-id', appKey: 'nope' });
    const answers = [
      await post(emulator, 'kairos-liveness-v0.2', livenessForm(selfieJpeg), wrongKey),
      await post(emulator, 'kairos-liveness-v0.1', livenessForm(selfieJpeg), {}),
      await post(emulator, 'kairos-liveness-v0.2', livenessForm(selfieJpeg), {
        'app-id': 'training-app-id',
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expectVendorHeaders(answer);
      expect(JSON.parse(answer.text)).toEqual({ message: expect.stringContaining('app_id') });
    }
  });

  it('accepts the credentials it was started with instead of the training ones', async () => {
    const kairos = { appId: 'branch-42', appKey: 'branch-42-key' };
    const emulator = await emulatorWith({ credentials: { kairos } });
    const form = (): FormData => livenessForm(selfieJpeg);
    const custom = await post(
      emulator,
      'kairos-liveness-v0.2',
      form(),
      kairosHeaders('hyphen', kairos),
    );
    const training = await post(emulator, 'kairos-liveness-v0.2', form(), kairosHeaders());
    expect([custom.status, training.status]).toEqual([200, 401]);
  });

  it('v0.2 enforces its documented 300 px minimum and 5000 px maximum; v0.1 has no rule', async () => {
    const emulator = await emulatorWith();
    const tooWide = await gradientJpeg(5100, 400);

    const small = await postLiveness(emulator, 'kairos-liveness-v0.2', smallJpeg);
    const wide = await postLiveness(emulator, 'kairos-liveness-v0.2', tooWide);
    const smallOnV01 = await postLiveness(emulator, 'kairos-liveness-v0.1', smallJpeg);

    expect(small.status).toBe(400);
    expect(JSON.parse(small.text).message).toMatch(/200x200 px .*minimum of 300 px/);
    expect(wide.status).toBe(400);
    expect(JSON.parse(wide.text).message).toMatch(/5100x400 px .*maximum of 5000 px/);
    expect(smallOnV01.status).toBe(200);
  });

  it('takes JPEG and PNG by content, answers 415 to a GIF and 400 to a broken JPEG', async () => {
    const emulator = await emulatorWith();
    const png = await (await gradient(640, 480)).png().toBuffer();
    const truncated = selfieJpeg.subarray(0, Math.floor(selfieJpeg.length / 2));

    expect((await postLiveness(emulator, 'kairos-liveness-v0.2', png)).status).toBe(200);
    const gifAnswer = await postLiveness(emulator, 'kairos-liveness-v0.2', gif);
    expect(gifAnswer.status).toBe(415);
    expect(JSON.parse(gifAnswer.text).message).toMatch(/JPEG and PNG/);
    const broken = await postLiveness(emulator, 'kairos-liveness-v0.2', truncated);
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).message).toMatch(/could not decode/);
    // A large picture is decoded at a reduced size, but still read to its end: losing only its
    // last bytes is caught too.
    const large = await gradientJpeg(1280, 960);
    const endCut = large.subarray(0, large.length - 16);
    const cutAnswer = await postLiveness(emulator, 'kairos-liveness-v0.2', endCut);
    expect(cutAnswer.status).toBe(400);
    expect(JSON.parse(cutAnswer.text).message).toMatch(/could not decode/);
    expect((await postLiveness(emulator, 'kairos-liveness-v0.2', large)).status).toBe(200);
  });

  it('answers 400 naming the field when selfie or threshold is missing or out of range', async () => {
    const emulator = await emulatorWith();
    const noSelfie = new FormData();
    noSelfie.append('threshold', '0.6');
    const cases: [FormData, RegExp][] = [
      [noSelfie, /selfie/],
      [livenessForm(selfieJpeg, null), /threshold/],
      [livenessForm(selfieJpeg, 'high'), /threshold/],
      [livenessForm(selfieJpeg, '1.5'), /threshold/],
    ];
    for (const [form, reason] of cases) {
      const answer = await post(emulator, 'kairos-liveness-v0.2', form, kairosHeaders());
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).message).toMatch(reason);
    }
  });

  it('scores the same picture the same however it is compressed, and another picture differently', async () => {
    const emulator = await emulatorWith();
    const picture = await gradient(640, 480);
    const fastPng = await picture.clone().png({ compressionLevel: 1 }).toBuffer();
    const smallPng = await picture.clone().png({ compressionLevel: 9 }).toBuffer();
    expect(fastPng.equals(smallPng)).toBe(false);

    const first = livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', selfieJpeg));
    const again = livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', selfieJpeg));
    const other = livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', otherSelfieJpeg));
    const pngFast = livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', fastPng));
    const pngSmall = livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', smallPng));

    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(pngSmall).toBe(pngFast);
  });

  it('reports a forced liveness score as a non-live answer, until the score is released', async () => {
    const emulator = await emulatorWith();
    const natural = livenessOf(await postLiveness(emulator));

    emulator.setScores('kairos-liveness-v0.2', { liveness: 0.12 });
    const forced = await postLiveness(emulator);
    const body = KairosLivenessSchema.parse(JSON.parse(forced.text));
    expect(body.response_data.faces_liveness).toBe(0.12);
    expect(body.response_code).toBe(2);
    // Forcing one API leaves the others alone.
    expect(livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.1'))).toBe(natural);

    emulator.setScores('kairos-liveness-v0.2', {});
    expect(livenessOf(await postLiveness(emulator))).toBe(natural);
  });

  it('reports the faces an injected detector finds, and no liveness without a face', async () => {
    // Boxes in the pixels the detector is given (the 640x480 upload decoded at 320x240).
    let faces = [
      { x: 50, y: 25, width: 100, height: 120, confidence: 0.97 },
      { x: 200, y: 30, width: 60, height: 75, confidence: 0.8 },
    ];
    const seen: { width: number; height: number; channels: number; bytes: number }[] = [];
    const detectFaces: FaceDetector = (image) => {
      seen.push({ ...image, bytes: image.data.length });
      return Promise.resolve(faces);
    };
    const emulator = await emulatorWith({ detectFaces });

    const body = KairosLivenessSchema.parse(JSON.parse((await postLiveness(emulator)).text));
    expect(seen[0]).toMatchObject({ width: 320, height: 240, channels: 3, bytes: 320 * 240 * 3 });
    // Reported in the upload's own pixels.
    expect(body.response_data.faces_predicted).toEqual([
      { confidence: 0.97, delta: { x: 200, y: 240 }, top_left: { x: 100, y: 50 } },
      { confidence: 0.8, delta: { x: 120, y: 150 }, top_left: { x: 400, y: 60 } },
    ]);
    expect(body.response_data.faces_liveness).toBeGreaterThan(0.6);

    // Another picture, in which the detector finds nobody (the same picture keeps its faces).
    faces = [];
    expect(livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.2', otherSelfieJpeg))).toBe(
      0,
    );
  });
});

// ---- Kairos biometric ---------------------------------------------------------------------

describe('Kairos biometric verification v0.1', () => {
  it('answers a passing match with no decision details and zero scores, the same for the same pair', async () => {
    const emulator = await emulatorWith();
    const send = (): Promise<Answer> =>
      post(
        emulator,
        'kairos-biometric-v0.1',
        biometricForm(selfieJpeg, idPhotoJpeg),
        kairosHeaders(),
      );

    const answer = await send();
    expect(answer.status).toBe(200);
    expectVendorHeaders(answer);
    const body = KairosBiometricSchema.parse(JSON.parse(answer.text));
    expect(body.response_data.decision).toEqual({
      details: [],
      reject_score: 0,
      review_score: 0,
      warning_score: 0,
    });
    expect(body.response_data.biometric.face_match_confidence).toBeGreaterThanOrEqual(0.56);
    expect(body.response_data.biometric.selfie.img).toEqual({ height: 480, width: 640 });
    expect(body.response_data.biometric.image.img).toEqual({ height: 800, width: 600 });

    const again = KairosBiometricSchema.parse(JSON.parse((await send()).text));
    expect(again.response_data.biometric.face_match_confidence).toBe(
      body.response_data.biometric.face_match_confidence,
    );
  });

  it('accepts the hyphenated header spelling too', async () => {
    const emulator = await emulatorWith();
    const form = biometricForm(selfieJpeg, idPhotoJpeg);
    const answer = await post(emulator, 'kairos-biometric-v0.1', form, kairosHeaders('hyphen'));
    expect(answer.status).toBe(200);
  });

  it('builds the review and reject details of the documented sample from failing scores', async () => {
    const emulator = await emulatorWith();
    emulator.setScores('kairos-biometric-v0.1', { liveness: 0.0026, matchConfidence: 0.4803 });
    const form = biometricForm(selfieJpeg, idPhotoJpeg);

    const answer = await post(emulator, 'kairos-biometric-v0.1', form, kairosHeaders());

    const body = KairosBiometricSchema.parse(JSON.parse(answer.text));
    expect(body.response_data.biometric.face_match_confidence).toBe(0.4803);
    expect(body.response_data.biometric.selfie.faces_liveness).toBe(0.0026);
    // The same decision the vendor's sample shows for these scores.
    expect(body.response_data.decision).toEqual(KAIROS_BIOMETRIC_SAMPLE.response_data.decision);
  });

  it('requires both images to be at least 480x480 and names the one that is not', async () => {
    const emulator = await emulatorWith();
    const short = await gradientJpeg(640, 400);
    const shortSelfie = await post(
      emulator,
      'kairos-biometric-v0.1',
      biometricForm(short, idPhotoJpeg),
      kairosHeaders(),
    );
    const shortImage = await post(
      emulator,
      'kairos-biometric-v0.1',
      biometricForm(selfieJpeg, short),
      kairosHeaders(),
    );
    expect(shortSelfie.status).toBe(400);
    expect(JSON.parse(shortSelfie.text).message).toMatch(/^selfie: 640x400 px .*minimum of 480/);
    expect(shortImage.status).toBe(400);
    expect(JSON.parse(shortImage.text).message).toMatch(/^image: 640x400 px .*minimum of 480/);
  });

  it('matches the largest ID-photo face unless image_multiface is true', async () => {
    // The 600x800 ID photo reaches the detector decoded at 240x320: boxes 2.5x smaller.
    const detectFaces: FaceDetector = () =>
      Promise.resolve([
        { x: 4, y: 4, width: 20, height: 24, confidence: 0.9 },
        { x: 40, y: 40, width: 80, height: 104, confidence: 0.95 },
      ]);
    const emulator = await emulatorWith({ detectFaces });
    const facesIn = async (multiface?: string): Promise<number[]> => {
      const form = biometricForm(selfieJpeg, idPhotoJpeg, multiface);
      const answer = await post(emulator, 'kairos-biometric-v0.1', form, kairosHeaders());
      const body = KairosBiometricSchema.parse(JSON.parse(answer.text));
      return body.response_data.biometric.image.faces_predicted.map((face) => face.delta.x);
    };

    expect(await facesIn()).toEqual([200]);
    expect(await facesIn('false')).toEqual([200]);
    expect(await facesIn('true')).toEqual([50, 200]);
    const invalid = await post(
      emulator,
      'kairos-biometric-v0.1',
      biometricForm(selfieJpeg, idPhotoJpeg, 'maybe'),
      kairosHeaders(),
    );
    expect(invalid.status).toBe(400);
  });

  it('refuses a request without credentials and one without the ID photo', async () => {
    const emulator = await emulatorWith();
    const noAuth = await post(
      emulator,
      'kairos-biometric-v0.1',
      biometricForm(selfieJpeg, idPhotoJpeg),
    );
    const selfieOnly = await post(
      emulator,
      'kairos-biometric-v0.1',
      livenessForm(selfieJpeg),
      kairosHeaders(),
    );
    expect(noAuth.status).toBe(401);
    expect(selfieOnly.status).toBe(400);
    expect(JSON.parse(selfieOnly.text).message).toMatch(/^image:/);
  });
});

// ---- biometric.kz -------------------------------------------------------------------------

describe('biometric.kz Liveness Short', () => {
  const api = 'biometric-kz-liveness-short';

  it('answers valid JSON with the prediction as a six-place decimal string', async () => {
    const emulator = await emulatorWith();
    const answer = await post(emulator, api, biometricKzForm(selfieJpeg));

    expect(answer.status).toBe(200);
    expectVendorHeaders(answer);
    const body = BiometricKzSchema.parse(JSON.parse(answer.text));
    expect(body.backend_session_id).toBe(answer.headers['x-request-id']);
    expect(body.result).toBe(true);
    expect(body.failure_reason).toBeNull();
    expect(Number(body.prediction)).toBeGreaterThanOrEqual(0.62);
  });

  it('reports a low prediction as failed with the documented failure reason', async () => {
    const emulator = await emulatorWith();
    emulator.setScores(api, { liveness: 0.235123 });
    const body = BiometricKzSchema.parse(
      JSON.parse((await post(emulator, api, biometricKzForm(selfieJpeg))).text),
    );
    expect(body).toMatchObject({
      result: false,
      prediction: '0.235123',
      failure_reason: { type: 'CALC_RESULT', detail: 'Low overall prediciton' },
    });
  });

  it('answers the documented 415 to a file name without .jpg, .jpeg or .png', async () => {
    const emulator = await emulatorWith();
    const png = await (await gradient(640, 480)).png().toBuffer();
    for (const fileName of ['face.gif', 'face', 'face.jpg.exe']) {
      const answer = await post(emulator, api, biometricKzForm(selfieJpeg, fileName));
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.text)).toEqual({
        detail: 'Not allowed file, valid extensions: .jpg .png .jpeg',
      });
    }
    expect((await post(emulator, api, biometricKzForm(selfieJpeg, 'FACE.JPEG'))).status).toBe(200);
    expect((await post(emulator, api, biometricKzForm(png, 'face.png'))).status).toBe(200);
  });

  it('answers a wrong or missing api_key with the documented 400', async () => {
    const emulator = await emulatorWith();
    for (const apiKey of ['Efy202XKbVAWRu', null]) {
      const answer = await post(emulator, api, biometricKzForm(selfieJpeg, 'face.jpg', apiKey));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({
        detail: 'Client does not have access to Liveness technology',
      });
    }
  });

  it('answers 415 to GIF content behind a .jpg name', async () => {
    const emulator = await emulatorWith();
    const answer = await post(emulator, api, biometricKzForm(gif, 'face.jpg'));
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text).detail).toMatch(/JPEG and PNG/);
  });
});

// ---- bad input ----------------------------------------------------------------------------

describe('bad input', () => {
  it('answers garbage bodies with 400 and keeps serving', async () => {
    const emulator = await emulatorWith();
    const url = emulator.url + API_PATH['kairos-liveness-v0.2'];
    const garbage = [
      { 'content-type': 'multipart/form-data; boundary=xyz', body: 'not a form at all' },
      { 'content-type': 'multipart/form-data', body: '--\r\n\r\n' },
      { 'content-type': 'application/json', body: '{"selfie": "base64?"}' },
    ];
    for (const { body, ...headers } of garbage) {
      const response = await request(url, {
        method: 'POST',
        headers: { ...headers, ...kairosHeaders() },
        body,
      });
      expect(response.statusCode).toBe(400);
      expect(await response.body.json()).toEqual({ message: expect.stringMatching(/multipart/) });
    }
    expect((await postLiveness(emulator)).status).toBe(200);
  });

  it('answers 413 when a file is larger than maxFileBytes', async () => {
    const emulator = await emulatorWith({ maxFileBytes: 50_000 });
    const answer = await postLiveness(emulator, 'kairos-liveness-v0.2', bigUpload);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).message).toMatch(/selfie: .*50000 bytes/);
    expect((await postLiveness(emulator)).status).toBe(200);
  });

  it('survives a client that hangs up mid-upload and logs the cut upload', async () => {
    const emulator = await emulatorWith();
    const form = livenessForm(bigUpload);
    const body = form.getBuffer();
    const client = httpRequest(emulator.url + API_PATH['kairos-liveness-v0.2'], {
      method: 'POST',
      headers: { ...form.getHeaders(), ...kairosHeaders(), 'content-length': body.length },
    });
    client.on('error', () => {});
    client.write(body.subarray(0, 20_000));
    await waitFor(() => (emulator.requests()[0]?.bytesReceived ?? 0) >= 20_000);
    client.destroy();

    await waitFor(() => emulator.requests()[0]?.outcome === 'client-aborted');
    expect(emulator.requests()[0]).toMatchObject({ uploadCompleted: false, status: null });
    expect((await postLiveness(emulator)).status).toBe(200);
  });

  it('answers 404 off the vendor paths and 405 to a GET on one', async () => {
    const emulator = await emulatorWith();
    const missing = await request(`${emulator.url}/v0.3/liveness-verification`, { method: 'POST' });
    const get = await request(emulator.url + API_PATH['kairos-liveness-v0.1']);
    expect(missing.statusCode).toBe(404);
    expect(get.statusCode).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    await Promise.all([missing.body.dump(), get.body.dump()]);
    expect(emulator.requests()).toEqual([]);
  });
});

// ---- faults -------------------------------------------------------------------------------

describe('faults', () => {
  it('resets the connection mid-upload after the configured number of bytes', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { resetAfterBytes: 10_000 });

    await expect(postLiveness(emulator, 'kairos-liveness-v0.2', bigUpload)).rejects.toThrow();

    const [record] = emulator.requests();
    expect(record).toMatchObject({
      outcome: 'connection-reset',
      uploadCompleted: false,
      status: null,
      files: [],
    });
    expect(record?.bytesReceived).toBeGreaterThanOrEqual(10_000);
    expect(record?.bytesReceived).toBeLessThan(bigUpload.length);
  });

  it('reads the upload and never answers, until the emulator closes', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { neverAnswer: true });
    let settled = false;
    const pending = postLiveness(emulator).finally(() => {
      settled = true;
    });
    pending.catch(() => {});

    await waitFor(() => emulator.requests()[0]?.outcome === 'never-answered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    expect(emulator.requests()[0]).toMatchObject({ uploadCompleted: true, status: null });

    const closeStartedAt = performance.now();
    await emulator.close();
    expect(performance.now() - closeStartedAt).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });

  it('adds latency before answering', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { latencyMs: 400 });
    const answer = await postLiveness(emulator);
    expect(answer.status).toBe(200);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(380);
  });

  it('sends headers late enough to trip a client headers timeout', async () => {
    const emulator = await emulatorWith();
    // undici checks its timeouts on a coarse (~0.5 s) tick, so the delay is well above that.
    emulator.setFaults('kairos-liveness-v0.2', { slowHeadersMs: 2000 });

    const impatient = post(
      emulator,
      'kairos-liveness-v0.2',
      livenessForm(selfieJpeg),
      kairosHeaders(),
      {
        headersTimeout: 200,
      },
    );
    await expect(impatient).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });

    const patient = await postLiveness(emulator);
    expect(patient.status).toBe(200);
    expect(patient.elapsedMs).toBeGreaterThanOrEqual(1950);
  });

  it('answers a fixed 5xx status in each vendor error style', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503 });
    emulator.setFaults('biometric-kz-liveness-short', { serverErrorStatus: 500 });

    const kairos = await postLiveness(emulator);
    const biometricKz = await post(
      emulator,
      'biometric-kz-liveness-short',
      biometricKzForm(selfieJpeg),
    );

    expect(kairos.status).toBe(503);
    expectVendorHeaders(kairos);
    expect(JSON.parse(kairos.text)).toEqual({ message: 'Service Unavailable' });
    expect(biometricKz.status).toBe(500);
    expect(JSON.parse(biometricKz.text)).toEqual({ detail: 'Internal Server Error' });
  });

  it('answers a proxy HTML error page with 502', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-biometric-v0.1', { proxyHtmlError: true });
    const form = biometricForm(selfieJpeg, idPhotoJpeg);
    const answer = await post(emulator, 'kairos-biometric-v0.1', form, kairosHeaders());
    expect(answer.status).toBe(502);
    expectVendorHeaders(answer, 'text/html; charset=utf-8');
    expect(answer.text).toContain('<title>502 Bad Gateway</title>');
  });

  it('answers 200 with a body that is not JSON', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { malformedJson: true });
    const answer = await postLiveness(emulator);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(answer.text) as unknown).toThrow(SyntaxError);
  });

  it('answers 200 with JSON of a shape no document describes', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { wrongShapeJson: true });
    const answer = await postLiveness(emulator);
    expect(answer.status).toBe(200);
    expect(KairosLivenessSchema.safeParse(JSON.parse(answer.text)).success).toBe(false);
  });

  it('answers 403 usage limit reached after the quota of requests', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.1', { usageLimitAfter: 2 });
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let index = 0; index < 4; index += 1) {
      last = await postLiveness(emulator, 'kairos-liveness-v0.1');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 403, 403]);
    expect(JSON.parse(last?.text ?? '')).toEqual({ message: 'usage limit reached' });
  });

  it('applies faults to the next N requests only when forRequests is set', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 502, forRequests: 2 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await postLiveness(emulator)).status);
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('limits upload bandwidth so a 200 KB upload takes measurably longer', async () => {
    const emulator = await emulatorWith();
    const form = (): FormData => livenessForm(bigUpload);
    const baseline = await post(emulator, 'kairos-liveness-v0.2', form(), kairosHeaders());

    emulator.setFaults('kairos-liveness-v0.2', { bandwidthBytesPerSecond: 400_000 });
    const throttled = await post(emulator, 'kairos-liveness-v0.2', form(), kairosHeaders());

    // 200+ KB at 400 KB/s is at least half a second; assert well under that.
    expect(throttled.status).toBe(200);
    expect(throttled.elapsedMs).toBeGreaterThanOrEqual(350);
    expect(throttled.elapsedMs - baseline.elapsedMs).toBeGreaterThanOrEqual(250);
  });

  it('limits answer bandwidth, so the body trickles in after the headers', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.1', {
      proxyHtmlError: true,
      bandwidthBytesPerSecond: 400,
    });
    const form = new FormData();
    form.append('threshold', '0.6');
    const answer = await post(emulator, 'kairos-liveness-v0.1', form);
    // About 170 bytes at 400 B/s: roughly 0.4 s between headers and the end of the body.
    expect(answer.status).toBe(502);
    expect(answer.bodyMs).toBeGreaterThanOrEqual(250);
  });

  it('refuses invalid fault settings from code', () => {
    return emulatorWith().then((emulator) => {
      expect(() =>
        emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 404 }),
      ).toThrow();
      expect(() =>
        emulator.setFaults('kairos-liveness-v0.2', { latencyMs: -1 } as never),
      ).toThrow();
    });
  });

  it('clears one API or every API', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.1', { serverErrorStatus: 500 });
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 500 });
    emulator.clearFaults('kairos-liveness-v0.1');
    expect((await postLiveness(emulator, 'kairos-liveness-v0.1')).status).toBe(200);
    expect((await postLiveness(emulator, 'kairos-liveness-v0.2')).status).toBe(500);
    emulator.clearFaults();
    expect((await postLiveness(emulator, 'kairos-liveness-v0.2')).status).toBe(200);
  });
});

// ---- controls over HTTP -------------------------------------------------------------------

describe('/__emulator/ controls', () => {
  it('POST /__emulator/faults validates the command and switches the fault on', async () => {
    const emulator = await emulatorWith();
    const badStatus = await control(emulator, 'POST', 'faults', {
      api: 'kairos-liveness-v0.2',
      faults: { serverErrorStatus: 200 },
    });
    const badApi = await control(emulator, 'POST', 'faults', { api: 'kairos-v9', faults: {} });
    const unknownFault = await control(emulator, 'POST', 'faults', {
      api: 'kairos-liveness-v0.2',
      faults: { explode: true },
    });
    expect([badStatus.status, badApi.status, unknownFault.status]).toEqual([400, 400, 400]);
    expect(badStatus.json).toMatchObject({
      issues: [{ path: 'faults.serverErrorStatus', message: expect.any(String) }],
    });
    expect((await postLiveness(emulator)).status).toBe(200);

    const ok = await control(emulator, 'POST', 'faults', {
      api: 'kairos-liveness-v0.2',
      faults: { serverErrorStatus: 503 },
    });
    expect(ok).toEqual({
      status: 200,
      json: { api: 'kairos-liveness-v0.2', faults: { serverErrorStatus: 503 } },
    });
    expect((await postLiveness(emulator)).status).toBe(503);
  });

  it('POST /__emulator/scores forces a score', async () => {
    const emulator = await emulatorWith();
    const answer = await control(emulator, 'POST', 'scores', {
      api: 'kairos-liveness-v0.1',
      scores: { liveness: 0.3 },
    });
    expect(answer.status).toBe(200);
    expect(livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.1'))).toBe(0.3);
    const outOfRange = await control(emulator, 'POST', 'scores', {
      api: 'kairos-liveness-v0.1',
      scores: { liveness: 3 },
    });
    expect(outOfRange.status).toBe(400);
  });

  it('GET /__emulator/requests lists each delivery with its file hashes and no credentials', async () => {
    const emulator = await emulatorWith();
    await post(
      emulator,
      'kairos-biometric-v0.1',
      biometricForm(selfieJpeg, idPhotoJpeg),
      kairosHeaders(),
    );
    await post(
      emulator,
      'biometric-kz-liveness-short',
      biometricKzForm(selfieJpeg, 'face.jpg', 'wrong-key-7f3a'),
    );

    const { status, json } = await control(emulator, 'GET', 'requests');

    expect(status).toBe(200);
    expect(json).toEqual({ requests: emulator.requests() });
    const [match, liveness] = emulator.requests();
    expect(match).toMatchObject({
      api: 'kairos-biometric-v0.1',
      status: 200,
      outcome: 'answered',
      uploadCompleted: true,
      files: [
        {
          field: 'selfie',
          fileName: 'selfie.jpg',
          bytes: selfieJpeg.length,
          sha256: sha256(selfieJpeg),
        },
        {
          field: 'image',
          fileName: 'id-photo.jpg',
          bytes: idPhotoJpeg.length,
          sha256: sha256(idPhotoJpeg),
        },
      ],
    });
    expect(liveness).toMatchObject({ api: 'biometric-kz-liveness-short', status: 400 });
    const serialized = JSON.stringify(json);
    expect(serialized).not.toContain(TRAINING_CREDENTIALS.kairos.appKey);
    expect(serialized).not.toContain('wrong-key-7f3a');
  });

  it('POST /__emulator/reset clears faults, scores and the request log', async () => {
    const emulator = await emulatorWith();
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 500 });
    emulator.setScores('kairos-liveness-v0.1', { liveness: 0.01 });
    await postLiveness(emulator);

    expect(await control(emulator, 'POST', 'reset')).toEqual({
      status: 200,
      json: { reset: true },
    });
    expect(emulator.requests()).toEqual([]);
    expect((await postLiveness(emulator)).status).toBe(200);
    expect(livenessOf(await postLiveness(emulator, 'kairos-liveness-v0.1'))).toBeGreaterThan(0.6);
  });

  it('answers JSON errors to unknown controls, wrong methods and bodies that are not JSON', async () => {
    const emulator = await emulatorWith();
    expect((await control(emulator, 'GET', 'nothing')).status).toBe(404);
    expect((await control(emulator, 'GET', 'faults')).status).toBe(405);
    const response = await request(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emulator-token': emulator.controlToken },
      body: '{not json',
    });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toEqual({ message: 'body is not valid JSON' });
  });
});
