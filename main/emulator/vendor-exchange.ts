/**
 * One vendor request from first byte to answer: log it, meet its faults, read the upload,
 * answer like the vendor would (or like a broken one). Never throws. Credentials are checked
 * before the upload is kept (Kairos's headers before any body byte, biometric.kz's api_key as it
 * arrives) and uploads pass the emulator's upload gate: on the kiosk, in training mode, a
 * stranger must not make it hold gigabytes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VENDOR_OF_API, type ApiId } from '../../model/apis.js';
import { formProblemReply, type AnswerContext } from './answer-context.js';
import { answerBiometricKzLiveness } from './biometric-kz-answer.js';
import { isBiometricKzAuthorized, type EmulatorCredentials } from './training-credentials.js';
import type { FaceFinder } from './detected-faces.js';
import { faultReply } from './fault-replies.js';
import type { FaultBook } from './faults.js';
import {
  answerKairosBiometric,
  answerKairosLiveness,
  refuseKairosHeaders,
} from './kairos-answers.js';
import { createFormParser, type KeyField } from './multipart.js';
import { vendorErrorReply, sendReply, type Reply } from './reply.js';
import type { EmulatorRequestRecord, RequestLog } from './request-log.js';
import { pumpRequestBody } from './request-body.js';
import type { ScoreBook } from './scoring.js';
import { sleep } from './timing.js';
import type { UploadGate } from './upload-gate.js';

export interface ExchangeServices {
  faults: FaultBook;
  scores: ScoreBook;
  log: RequestLog;
  credentials: EmulatorCredentials;
  findFaces: FaceFinder;
  maxFileBytes: number;
  /** File bytes a biometric.kz form may bring before its api_key; past this it is refused. */
  maxBytesBeforeKey: number;
  gate: UploadGate;
  /** Aborts when the emulator closes: every wait ends at once. */
  signal: AbortSignal;
}

export async function exchangeWithVendor(
  req: IncomingMessage,
  res: ServerResponse,
  api: ApiId,
  services: ExchangeServices,
): Promise<void> {
  const requestId = randomUUID();
  const requestedAt = new Date();
  const record = services.log.begin(api, requestId, requestedAt);
  const faults = services.faults.takeForRequest(api);
  const { settings } = faults;
  const { signal } = services;
  // Faults replace the vendor's logic (a broken server checks no credentials): with one in force
  // the credentials are left to the answer, as before. The upload gate applies either way.
  const vendorChecks = !faults.usageLimitReached && Object.keys(settings).length === 0;

  const refused = vendorChecks ? refuseKairosHeaders(api, req.headers, services.credentials) : null;
  if (refused !== null) {
    await refuseEarly(res, record, refused, requestId, signal);
    return;
  }
  const slot = services.gate.admit();
  if (slot === null) {
    await refuseEarly(res, record, formProblemReply(api, { kind: 'busy' }), requestId, signal);
    return;
  }

  try {
    const parser = createFormParser(req.headers, {
      maxFileBytes: services.maxFileBytes,
      hold: slot.hold,
      keyField: vendorChecks ? formKeyField(api, services) : undefined,
    });
    const upload = await pumpRequestBody(req, parser.sink, {
      bandwidthBytesPerSecond: settings.bandwidthBytesPerSecond,
      resetAfterBytes: settings.resetAfterBytes,
      signal,
      stop: parser.decided,
      onBytes: (total) => {
        record.bytesReceived = total;
      },
    });
    if (upload === 'stopped') {
      // Decided before the body's end (busy, wrong key, key too late): never a whole form.
      const decided = await parser.result;
      const reply =
        decided.kind === 'form'
          ? vendorErrorReply(api, 500, 'emulator error: the upload stopped without a reason')
          : formProblemReply(api, decided);
      await refuseEarly(res, record, reply, requestId, signal);
      return;
    }
    if (upload !== 'complete') {
      record.outcome = upload;
      return;
    }
    const form = await parser.result;
    record.uploadCompleted = true;
    if (form.kind === 'form') {
      record.files = [...form.files.values()].map((file) => ({
        field: file.field,
        fileName: file.fileName,
        bytes: file.bytes.length,
        sha256: file.sha256,
      }));
    }
    if (settings.neverAnswer === true) {
      // Keep the socket open with nothing on it, until the client gives up or close().
      record.outcome = 'never-answered';
      return;
    }

    await sleep(settings.latencyMs ?? 0, signal);
    const reply =
      faultReply(api, faults, requestId) ??
      (await answerVendor({
        api,
        requestId,
        requestedAt,
        headers: req.headers,
        form,
        credentials: services.credentials,
        findFaces: services.findFaces,
        scores: services.scores.get(api),
      }));
    await sleep(settings.slowHeadersMs ?? 0, signal);

    record.status = reply.status;
    record.outcome = 'answered';
    const sent = await sendReply(res, reply, {
      requestId,
      bandwidthBytesPerSecond: settings.bandwidthBytesPerSecond,
      signal,
    });
    if (!sent) {
      record.status = null;
      record.outcome = 'client-aborted';
    }
  } catch (error) {
    // Closing: sockets are being destroyed, nobody is listening for an answer.
    if (signal.aborted) return;
    await answerInternalError(res, api, requestId, error, signal);
    record.status = res.headersSent ? res.statusCode : null;
    record.outcome = 'answered';
  } finally {
    // The form is answered (or dropped): its bytes are garbage now, whatever the socket does.
    slot.release();
  }
}

/** biometric.kz's key travels in the form: checked as it arrives, little kept before it. */
function formKeyField(api: ApiId, services: ExchangeServices): KeyField | undefined {
  if (VENDOR_OF_API[api] !== 'biometric-kz') return undefined;
  const expected = services.credentials.biometricKz;
  return {
    name: 'api_key',
    maxBytesBefore: services.maxBytesBeforeKey,
    accepts: (value) => isBiometricKzAuthorized(value, expected),
  };
}

/**
 * Answers before the body was read to its end, and closes the connection once the answer is out:
 * the rest of the body is never read, so the socket is not held for it.
 */
async function refuseEarly(
  res: ServerResponse,
  record: EmulatorRequestRecord,
  reply: Reply,
  requestId: string,
  signal: AbortSignal,
): Promise<void> {
  record.status = reply.status;
  record.outcome = 'answered';
  const closing = { ...reply, headers: { ...reply.headers, Connection: 'close' } };
  const sent = await sendReply(res, closing, { requestId, signal }).catch(() => false);
  if (!sent) {
    record.status = null;
    record.outcome = 'client-aborted';
  }
}

function answerVendor(context: AnswerContext): Promise<Reply> {
  switch (context.api) {
    case 'kairos-liveness-v0.1':
    case 'kairos-liveness-v0.2':
      return answerKairosLiveness(context);
    case 'kairos-biometric-v0.1':
      return answerKairosBiometric(context);
    case 'biometric-kz-liveness-short':
      return answerBiometricKzLiveness(context);
  }
}

/** A bug in the emulator (or an injected detector) answers 500 rather than crashing it. */
async function answerInternalError(
  res: ServerResponse,
  api: ApiId,
  requestId: string,
  error: unknown,
  signal: AbortSignal,
): Promise<void> {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  await sendReply(res, vendorErrorReply(api, 500, `emulator error: ${reason}`), {
    requestId,
    signal,
  }).catch(() => res.destroy());
}
