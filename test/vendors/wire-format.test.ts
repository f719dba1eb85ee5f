/**
 * The exact bytes on the wire, checked by a plain node:http server: method, path, header names,
 * multipart field names, file names, content types and the threshold's format.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VendorGateway } from '../../main/vendors/gateway.js';
import type { PreparedImage } from '../../model/request.js';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';
import { makePreparedJpeg } from '../helpers/images.js';
import {
  BIOMETRIC_KZ_PASSED_SAMPLE,
  KAIROS_BIOMETRIC_SAMPLE,
  KAIROS_LIVENESS_SAMPLE,
} from '../helpers/vendor-samples.js';

const kairos = { vendor: 'kairos', appId: 'id-1234', appKey: 'key-5678' } as const;
const bkz = { vendor: 'biometric-kz', apiKey: 'bkz-api-key-0000' } as const;

let server: CaptureServer;
let gateway: VendorGateway;
let selfie: PreparedImage;
let idPhoto: PreparedImage;

beforeAll(async () => {
  server = await startCaptureServer(() => undefined);
  gateway = new VendorGateway({ baseUrls: { kairos: server.url, 'biometric-kz': server.url } });
  selfie = await makePreparedJpeg(640, 480, 1);
  idPhoto = await makePreparedJpeg(600, 600, 2, 'id-photo.jpg');
});
afterAll(async () => {
  await gateway.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
});

function onlyRequest() {
  expect(server.received).toHaveLength(1);
  return server.received[0]!;
}

describe('wire format', () => {
  it('sends Kairos v0.1 liveness as documented: app_id/app_key headers, selfie file and threshold', async () => {
    server.respond = (_req, res) => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE);
    await gateway.send(
      { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie, threshold: 0.6 },
      { credentials: kairos },
    );
    const req = onlyRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v0.1/liveness-verification');
    expect(req.headers.app_id).toBe('id-1234');
    expect(req.headers.app_key).toBe('key-5678');
    expect(req.headers['app-id']).toBeUndefined();
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(req.headers['content-length'])).toBeGreaterThan(selfie.bytes.length);
    expect(req.parts.map((p) => p.name)).toEqual(['selfie', 'threshold']);
    const file = req.parts[0]!;
    expect(file.fileName).toBe('selfie.jpg');
    expect(file.contentType).toBe('image/jpeg');
    expect(file.bytes!.equals(Buffer.from(selfie.bytes))).toBe(true);
    expect(req.parts[1]!.value).toBe('0.6');
  });

  it('sends both header spellings to Kairos v0.2 and writes thresholds as plain decimals', async () => {
    server.respond = (_req, res) => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE);
    await gateway.send(
      { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.0000001 },
      { credentials: kairos },
    );
    const req = onlyRequest();
    expect(req.path).toBe('/v0.2/liveness-verification');
    expect(req.rawHeaderNames).toEqual(
      expect.arrayContaining(['app_id', 'app_key', 'app-id', 'app-key']),
    );
    expect(req.headers['app-id']).toBe('id-1234');
    expect(req.headers['app-key']).toBe('key-5678');
    expect(req.parts.find((p) => p.name === 'threshold')!.value).toBe('0');
  });

  it('sends the biometric match with selfie, image and image_multiface only when asked', async () => {
    server.respond = (_req, res) => answerJson(res, 200, KAIROS_BIOMETRIC_SAMPLE);
    const request = {
      kind: 'match',
      api: 'kairos-biometric-v0.1',
      selfie,
      image: idPhoto,
      threshold: 0.6,
    } as const;
    await gateway.send({ ...request, multiface: false }, { credentials: kairos });
    await gateway.send({ ...request, multiface: true }, { credentials: kairos });
    const [plain, multi] = server.received;
    expect(plain!.path).toBe('/v0.1/biometric-verification');
    expect(plain!.parts.map((p) => p.name)).toEqual(['selfie', 'image']);
    expect(plain!.parts[1]!.fileName).toBe('id-photo.jpg');
    expect(multi!.parts.map((p) => [p.name, p.value])).toContainEqual(['image_multiface', 'true']);
    expect(plain!.headers.app_id).toBe('id-1234');
  });

  it('sends biometric.kz the key in the body and an image file name with an accepted extension', async () => {
    server.respond = (_req, res) => answerJson(res, 200, BIOMETRIC_KZ_PASSED_SAMPLE);
    const png: PreparedImage = { ...selfie, fileName: 'capture', contentType: 'image/png' };
    await gateway.send(
      { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie: png, threshold: 0.6 },
      { credentials: bkz },
    );
    const req = onlyRequest();
    expect(req.path).toBe('/api/v1/backend/liveness/short/');
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers.app_id).toBeUndefined();
    expect(req.parts.map((p) => p.name)).toEqual(['image', 'api_key']);
    expect(req.parts[0]!.fileName).toBe('capture.png');
    expect(req.parts[0]!.contentType).toBe('image/png');
    expect(req.parts[1]!.value).toBe('bkz-api-key-0000');
    expect(JSON.stringify(req.headers)).not.toContain('bkz-api-key-0000');
  });

  it('reports upload progress up to the whole body', async () => {
    server.respond = (_req, res) => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE);
    const big = await makePreparedJpeg(1600, 1200, 3);
    const progress: [number, number][] = [];
    await gateway.send(
      { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie: big, threshold: 0.6 },
      { credentials: kairos, onUploadProgress: (sent, total) => progress.push([sent, total]) },
    );
    const total = Number(onlyRequest().headers['content-length']);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    const sent = progress.map(([s]) => s);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });
});
