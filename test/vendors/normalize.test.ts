/** The documented answers, read into the one result model staff and the queue rely on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VendorGateway } from '../../main/vendors/gateway.js';
import { verdictOf } from '../../model/result-model.js';
import type { PreparedImage } from '../../model/request.js';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';
import { makePreparedJpeg } from '../helpers/images.js';
import {
  BIOMETRIC_KZ_FAILED_SAMPLE,
  BIOMETRIC_KZ_PASSED_SAMPLE,
  KAIROS_BIOMETRIC_SAMPLE,
  KAIROS_LIVENESS_SAMPLE,
} from '../helpers/vendor-samples.js';

const kairos = { vendor: 'kairos', appId: 'a', appKey: 'b' } as const;
const bkz = { vendor: 'biometric-kz', apiKey: 'k' } as const;
let server: CaptureServer;
let gateway: VendorGateway;
let selfie: PreparedImage;

beforeAll(async () => {
  server = await startCaptureServer(() => undefined);
  gateway = new VendorGateway({ baseUrls: { kairos: server.url, 'biometric-kz': server.url } });
  selfie = await makePreparedJpeg(640, 480, 4);
});
afterAll(async () => {
  await gateway.close();
  await server.close();
});

function sendMatch() {
  return gateway.send(
    {
      kind: 'match',
      api: 'kairos-biometric-v0.1',
      selfie,
      image: selfie,
      multiface: false,
      threshold: 0.6,
    },
    { credentials: kairos },
  );
}

function answer(body: unknown): void {
  server.respond = (_req, res) => answerJson(res, 200, body);
}

describe('normalized results', () => {
  it('reads the Kairos liveness sample: score below threshold is not live', async () => {
    answer(KAIROS_LIVENESS_SAMPLE);
    const result = await gateway.send(
      { kind: 'liveness', api: 'kairos-liveness-v0.2', selfie, threshold: 0.6 },
      { credentials: kairos },
    );
    expect(result).toMatchObject({
      kind: 'liveness',
      vendor: 'kairos',
      api: 'kairos-liveness-v0.2',
      requestId: 'c6bb825f-871c-4323-8c06-8e5fd3517747',
      liveness: { score: 0, threshold: 0.6, live: false },
      imageSize: { width: 95, height: 71 },
      match: null,
      vendorResponseCode: 2,
    });
    expect(result.faces).toEqual([
      { x: 38.0577, y: 4.0824, width: 18.9982, height: 25.3957, confidence: 0.9885 },
    ]);
    expect(result.raw).toEqual(KAIROS_LIVENESS_SAMPLE);
    expect(verdictOf(result)).toBe('not-verified');
  });

  it('counts a score equal to the threshold as live, as the page defines it', async () => {
    answer({
      ...KAIROS_LIVENESS_SAMPLE,
      response_data: { ...KAIROS_LIVENESS_SAMPLE.response_data, faces_liveness: 0.6 },
    });
    const result = await gateway.send(
      { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie, threshold: 0.6 },
      { credentials: kairos },
    );
    expect(result.liveness).toEqual({ score: 0.6, threshold: 0.6, live: true });
    expect(verdictOf(result)).toBe('verified');
  });

  it('reads the Kairos biometric sample into a reject decision with its reasons', async () => {
    answer(KAIROS_BIOMETRIC_SAMPLE);
    const result = await sendMatch();
    expect(result.kind).toBe('match');
    expect(result.liveness).toEqual({ score: 0.0026, threshold: 0.6, live: false });
    expect(result.imageSize).toEqual({ width: 500, height: 666 });
    expect(result.match).toMatchObject({
      confidence: 0.4803,
      decision: 'reject',
      rejectScore: 1,
      reviewScore: 1,
      warningScore: 0,
      idImage: { size: { width: 150, height: 200 } },
    });
    expect(result.match!.reasons.map((r) => [r.code, r.decision])).toEqual([
      ['FAILED_FACE_MATCH', 'review'],
      ['FAILED_SELFIE_LIVENESS', 'reject'],
    ]);
    expect(result.match!.reasons[0]!.description).toContain('Faces do not match');
  });

  it('asks staff to review a match whose only finding is a review', async () => {
    const review = structuredClone(KAIROS_BIOMETRIC_SAMPLE);
    review.response_data.biometric.selfie.faces_liveness = 0.91;
    review.response_data.decision = {
      details: [review.response_data.decision.details[0]!],
      reject_score: 0,
      review_score: 1,
      warning_score: 0,
    };
    answer(review);
    const result = await sendMatch();
    expect(result.match!.decision).toBe('review');
    expect(verdictOf(result)).toBe('staff-review');
  });

  it('approves a match with no findings', async () => {
    const clean = structuredClone(KAIROS_BIOMETRIC_SAMPLE);
    clean.response_data.biometric.selfie.faces_liveness = 0.95;
    clean.response_data.biometric.face_match_confidence = 0.93;
    clean.response_data.decision = {
      details: [],
      reject_score: 0,
      review_score: 0,
      warning_score: 0,
    };
    answer(clean);
    const result = await sendMatch();
    expect(result.match!.decision).toBe('approve');
    expect(verdictOf(result)).toBe('verified');
  });

  it('parses biometric.kz string predictions and keeps its verdict', async () => {
    answer(BIOMETRIC_KZ_PASSED_SAMPLE);
    const passed = await gateway.send(
      { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
      { credentials: bkz },
    );
    expect(passed).toMatchObject({
      vendor: 'biometric-kz',
      requestId: 'f1b5887b-5f91-417a-bf04-bb45fe28cc4e',
      liveness: { score: 0.982312, threshold: null, live: true },
      failureReason: null,
    });

    answer(BIOMETRIC_KZ_FAILED_SAMPLE);
    const failed = await gateway.send(
      { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
      { credentials: bkz },
    );
    expect(failed.liveness).toEqual({ score: 0.235123, threshold: null, live: false });
    expect(failed.failureReason).toEqual({ type: 'CALC_RESULT', detail: 'Low overall prediciton' });
    expect(verdictOf(failed)).toBe('not-verified');
  });

  it('rejects a prediction that is not a decimal between 0 and 1 as a bad response', async () => {
    answer({ ...BIOMETRIC_KZ_PASSED_SAMPLE, prediction: 'high' });
    await expect(
      gateway.send(
        { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
        { credentials: bkz },
      ),
    ).rejects.toMatchObject({ code: 'bad-response' });
  });
});
