/**
 * One vendor request from first byte to answer: log it, meet its faults, read the upload,
 * answer like the vendor would (or like a broken one). Never throws.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiId } from '../apis.js';
import type { AnswerContext } from './answer-context.js';
import { answerBiometricKzLiveness } from './biometric-kz-answer.js';
import type { EmulatorCredentials } from './credentials.js';
import type { FaceFinder } from './faces.js';
import { faultReply } from './fault-replies.js';
import type { FaultBook } from './faults.js';
import { answerKairosBiometric, answerKairosLiveness } from './kairos-answers.js';
import { createFormParser } from './multipart.js';
import { vendorErrorReply, sendReply, type Reply } from './reply.js';
import type { RequestLog } from './request-log.js';
import { pumpRequestBody } from './request-body.js';
import type { ScoreBook } from './scoring.js';
import { sleep } from './timing.js';

export interface ExchangeServices {
  faults: FaultBook;
  scores: ScoreBook;
  log: RequestLog;
  credentials: EmulatorCredentials;
  findFaces: FaceFinder;
  maxFileBytes: number;
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

  try {
    const parser = createFormParser(req.headers, services.maxFileBytes);
    const upload = await pumpRequestBody(req, parser.sink, {
      bandwidthBytesPerSecond: settings.bandwidthBytesPerSecond,
      resetAfterBytes: settings.resetAfterBytes,
      signal,
      onBytes: (total) => {
        record.bytesReceived = total;
      },
    });
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
