/**
 * The vendor emulator: one loopback HTTP server answering all four vendor endpoints (both
 * vendors share it; only the paths differ) plus /__emulator/ controls. Serves the kiosk's
 * training mode and every test that would otherwise need a real vendor. In training mode it runs
 * on the kiosk itself, next to a browser: it bounds what it holds (upload-gate.ts), how long a
 * connection may take, and who may switch its faults (control-access.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { API_PATH, type ApiId } from '../../model/apis.js';
import { newControlToken, type ControlAccess } from './control-access.js';
import { answerControlRequest, CONTROL_PREFIX } from './control-routes.js';
import { resolveCredentials, type EmulatorCredentials } from './training-credentials.js';
import { rememberFaces, wholeImageFace, type FaceDetector } from './detected-faces.js';
import { FaultBook, type FaultSettings } from './faults.js';
import { jsonReply, sendReply, type Reply } from './reply.js';
import { RequestLog, type EmulatorRequestRecord } from './request-log.js';
import { ScoreBook, type ForcedScores } from './scoring.js';
import { UploadGate } from './upload-gate.js';
import { exchangeWithVendor, type ExchangeServices } from './vendor-exchange.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default; any other host is reachable from the network (onWarning says so). */
  host?: string;
  /** Defaults to TRAINING_CREDENTIALS, per vendor. */
  credentials?: Partial<EmulatorCredentials>;
  /** Finds the faces it reports (e.g. CaptureService.detectFaces); default: the whole image. */
  detectFaces?: FaceDetector;
  /** Per uploaded file; larger uploads are answered 413. */
  maxFileBytes?: number;
  /** How many request records to keep (oldest dropped first). */
  requestLogLimit?: number;
  /** Bodies read at the same time; one more is answered 503 at once. Default 32. */
  maxConcurrentUploads?: number;
  /** File bytes all bodies may keep together; past it, 503. Default 4 x maxFileBytes (64 MB). */
  maxBufferedBytes?: number;
  /** File bytes a biometric.kz form may bring before its api_key; past it, 413. Default 4 MB. */
  maxBytesBeforeKey?: number;
  timeouts?: Partial<EmulatorTimeouts>;
  /** Told when the emulator is reachable beyond this machine; default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export interface EmulatorTimeouts {
  /**
   * Request line and headers, from the connection's first byte. 10 s: they are a few hundred
   * bytes, under a second even on a 2G link; a client still sending them is holding a socket.
   */
  headersMs: number;
  /**
   * The whole request, body included. 150 s: past the kiosk's own 120 s deadline
   * (DEFAULT_TIMEOUTS.deadlineMs), so the kiosk always gives up first and a slow link or the
   * bandwidth fault is never cut by the emulator, while a slow-loris body is, in bounded time.
   */
  requestMs: number;
  /**
   * A kept-alive connection with no request on it. 5 s (Node's default, longer than undici's
   * 4 s, so the client closes first and never reuses a socket the server is closing). There is
   * no socket-wide idle timeout: latencyMs (up to 10 min) and neverAnswer are silent on purpose.
   */
  idleMs: number;
}

export interface VendorEmulator {
  /** Base URL for both vendors, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /**
   * The /__emulator/ controls' token, new at each start: send it as `x-emulator-token` (or
   * `Authorization: Bearer`). The code API below needs none.
   */
  readonly controlToken: string;
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
/** Above the queue's highest tested concurrency (16) with room for both vendors at once. */
const DEFAULT_MAX_CONCURRENT_UPLOADS = 32;
/**
 * biometric.kz's key comes after the image in the kiosk's own form; a vendor-ready selfie
 * (1280 px JPEG) is well under 1 MB, a 5000 px one a few MB.
 */
const DEFAULT_MAX_BYTES_BEFORE_KEY = 4 * 1024 * 1024;
export const DEFAULT_EMULATOR_TIMEOUTS: Readonly<EmulatorTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 150_000,
  idleMs: 5_000,
});
/**
 * Connections at once. A kiosk process has about 1024 file descriptors, shared with Electron,
 * SQLite and the face worker; the kiosk itself opens a handful to the emulator.
 */
const MAX_CONNECTIONS = 256;

const API_BY_PATH = new Map<string, ApiId>(
  (Object.entries(API_PATH) as [ApiId, string][]).map(([api, path]) => [path, api]),
);

export async function startEmulator(options: EmulatorOptions = {}): Promise<VendorEmulator> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultBook();
  const scores = new ScoreBook();
  const log = new RequestLog(options.requestLogLimit);
  const lifetime = new AbortController();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const services: ExchangeServices = {
    faults,
    scores,
    log,
    credentials: resolveCredentials(options.credentials),
    findFaces: rememberFaces(options.detectFaces ?? wholeImageFace),
    maxFileBytes,
    maxBytesBeforeKey: options.maxBytesBeforeKey ?? DEFAULT_MAX_BYTES_BEFORE_KEY,
    gate: new UploadGate({
      maxBodies: options.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS,
      // Room for two of the largest forms (two files each) at once.
      maxBufferedBytes: options.maxBufferedBytes ?? 4 * maxFileBytes,
    }),
    signal: lifetime.signal,
  };
  // The origin is known once listening (port 0 picks one); no request comes before that.
  const access: ControlAccess = { token: newControlToken(), origin: '' };

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

  const timeouts = { ...DEFAULT_EMULATOR_TIMEOUTS, ...options.timeouts };
  const requestTimeout = timeouts.requestMs;
  const server = createServer(
    {
      requestTimeout,
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(timeouts.headersMs, requestTimeout),
      keepAliveTimeout: timeouts.idleMs,
      // How often Node looks for expired requests (its default, 30 s, would stretch a 10 s
      // headers timeout to 40 s).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1000, Math.min(timeouts.headersMs, requestTimeout) / 4),
      ),
    },
    (req, res) => {
      // An async listener's rejection would be unhandled and kill the process: contain it here.
      route(req, res).catch(() => res.destroy());
    },
  );
  server.maxConnections = MAX_CONNECTIONS;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path !== null && path.startsWith(CONTROL_PREFIX)) {
      await answer(res, await answerControlRequest(req, path, controls, access));
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
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  access.origin = url;
  if (!isLoopbackHost(host)) {
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message));
    warn(
      `The vendor emulator listens on ${url}, reachable from the network: anyone who can reach ` +
        'it can call it with the public training credentials. Listen on 127.0.0.1 unless ' +
        'another machine must reach it.',
    );
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    port: address.port,
    controlToken: access.token,
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

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: nothing else on the network sees these. */
function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (address === 'localhost' || address === '::1') return true;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIP(ipv4) === 4 && ipv4.startsWith('127.');
}

/** The path without query; null when the request target is not a URL at all. */
function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
  } catch {
    return null;
  }
}
