/**
 * The vendor emulator: one loopback HTTP server answering all four vendor endpoints (both
 * vendors share it; only the paths differ) plus /__emulator/ controls. Serves the kiosk's
 * training mode and every test that would otherwise need a real vendor.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { API_PATH, type ApiId } from '../apis.js';
import { answerControlRequest, CONTROL_PREFIX } from './control-routes.js';
import { resolveCredentials, type EmulatorCredentials } from './credentials.js';
import { rememberFaces, wholeImageFace, type FaceDetector } from './faces.js';
import { FaultBook, type FaultSettings } from './faults.js';
import { jsonReply, sendReply, type Reply } from './reply.js';
import { RequestLog, type EmulatorRequestRecord } from './request-log.js';
import { ScoreBook, type ForcedScores } from './scoring.js';
import { exchangeWithVendor, type ExchangeServices } from './vendor-exchange.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the controls have no authentication. */
  host?: string;
  /** Defaults to TRAINING_CREDENTIALS, per vendor. */
  credentials?: Partial<EmulatorCredentials>;
  /** Finds the faces it reports (e.g. CaptureService.detectFaces); default: the whole image. */
  detectFaces?: FaceDetector;
  /** Per uploaded file; larger uploads are answered 413. */
  maxFileBytes?: number;
  /** How many request records to keep (oldest dropped first). */
  requestLogLimit?: number;
}

export interface VendorEmulator {
  /** Base URL for both vendors, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Replaces the API's faults; validated, throws a ZodError on bad settings. `{}` clears. */
  setFaults(api: ApiId, faults: FaultSettings): void;
  /** Clears one API's faults, or every API's. */
  clearFaults(api?: ApiId): void;
  /** Pins scores for one API; `{}` returns it to deterministic scores. */
  setScores(api: ApiId, scores: ForcedScores): void;
  /** The request log, oldest first (copies). */
  requests(): EmulatorRequestRecord[];
  /** Clears faults, forced scores and the request log. */
  reset(): void;
  /** Stops listening and destroys every connection, hung ones included. */
  close(): Promise<void>;
}

/** Vendor-ready JPEGs are well under this; a 5000 px maximum-quality JPEG is about 10 MB. */
const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

const API_BY_PATH = new Map<string, ApiId>(
  (Object.entries(API_PATH) as [ApiId, string][]).map(([api, path]) => [path, api]),
);

export async function startEmulator(options: EmulatorOptions = {}): Promise<VendorEmulator> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultBook();
  const scores = new ScoreBook();
  const log = new RequestLog(options.requestLogLimit);
  const lifetime = new AbortController();
  const services: ExchangeServices = {
    faults,
    scores,
    log,
    credentials: resolveCredentials(options.credentials),
    findFaces: rememberFaces(options.detectFaces ?? wholeImageFace),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    signal: lifetime.signal,
  };

  const controls = {
    setFaults: (api: ApiId, settings: FaultSettings): void => void faults.set(api, settings),
    clearFaults: (api?: ApiId): void => faults.clear(api),
    setScores: (api: ApiId, forced: ForcedScores): void => void scores.set(api, forced),
    requests: (): EmulatorRequestRecord[] => log.list(),
    reset: (): void => {
      faults.clear();
      scores.clear();
      log.clear();
    },
  };

  // No server-side request timeout: how long an upload may take is for the faults (and the
  // kiosk's own timeouts, which are what tests exercise) to decide, not for Node's 300 s default.
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    // An async listener's rejection would be unhandled and kill the process: contain it here.
    route(req, res).catch(() => res.destroy());
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path !== null && path.startsWith(CONTROL_PREFIX)) {
      await answer(res, await answerControlRequest(req, path, controls));
      return;
    }
    const api = path === null ? undefined : API_BY_PATH.get(path);
    if (api === undefined) {
      await answer(res, jsonReply(404, { message: 'Not found' }));
    } else if (req.method !== 'POST') {
      const reply = jsonReply(405, { message: 'Method not allowed' });
      await answer(res, { ...reply, headers: { Allow: 'POST' } });
    } else {
      await exchangeWithVendor(req, res, api, services);
    }
  }

  function answer(res: ServerResponse, reply: Reply): Promise<boolean> {
    return sendReply(res, reply, { requestId: randomUUID(), signal: lifetime.signal });
  }

  // Tracked so close() can end hung and keep-alive connections instead of waiting on them.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port');

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    ...controls,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** The path without query; null when the request target is not a URL at all. */
function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
  } catch {
    return null;
  }
}
