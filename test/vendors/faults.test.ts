/**
 * Failures over real sockets, each mapped to exactly one error class the queue can act on.
 * The vendors here are tiny node:http / node:net servers that misbehave on purpose.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { VendorGateway, type GatewayOptions } from '../../main/vendors/gateway.js';
import type { LivenessRequest, PreparedImage } from '../../model/request.js';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';
import { makePreparedJpeg } from '../helpers/images.js';
import { KAIROS_LIVENESS_SAMPLE } from '../helpers/vendor-samples.js';

const kairos = { vendor: 'kairos', appId: 'fault-app-id', appKey: 'fault-app-key-secret' } as const;
let selfie: PreparedImage;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  selfie = await makePreparedJpeg(640, 480, 7);
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function request(image: PreparedImage = selfie): LivenessRequest {
  return { kind: 'liveness', api: 'kairos-liveness-v0.1', selfie: image, threshold: 0.6 };
}

function gatewayFor(url: string, timeouts: GatewayOptions['timeouts'] = {}): VendorGateway {
  const gateway = new VendorGateway({ baseUrls: { kairos: url }, timeouts });
  cleanups.push(() => gateway.close());
  return gateway;
}

async function failureOf(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

/** A raw TCP server: `onSocket` decides what happens to each connection. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function httpServer(
  respond: Parameters<typeof startCaptureServer>[0],
): Promise<CaptureServer> {
  const server = await startCaptureServer(respond);
  cleanups.push(() => server.close());
  return server;
}

describe('failures before any answer', () => {
  it('calls a refused connection a network error: nothing was sent, safe to retry', async () => {
    const url = await rawServer(() => undefined);
    const port = new URL(url).port;
    await cleanups.pop()!(); // close it: the port now refuses
    const error = await failureOf(
      gatewayFor(`http://127.0.0.1:${port}`).send(request(), { credentials: kairos }),
    );
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/refused/);
  });

  it('calls a reset in the middle of the upload a network error', async () => {
    // The server reads a little and resets; a 24 MB body cannot all be in socket buffers yet.
    const url = await rawServer((socket) => {
      socket.once('data', () => socket.resetAndDestroy());
    });
    const big: PreparedImage = {
      bytes: Buffer.alloc(24 * 1024 * 1024, 7),
      fileName: 'big.jpg',
      contentType: 'image/jpeg',
    };
    const error = await failureOf(gatewayFor(url).send(request(big), { credentials: kairos }));
    expect(error.code).toBe('network');
    expect(error.retryable).toBe(true);
  });

  it('calls a reset after the whole upload outcome-unknown: the vendor may have processed it', async () => {
    const server = await httpServer((_req, _res, req) => req.socket.resetAndDestroy());
    const error = await failureOf(gatewayFor(server.url).send(request(), { credentials: kairos }));
    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('outcome-unknown');
    expect(error.retryable).toBe(true);
  });

  it('gives up on a server that accepts and never answers within the overall deadline', async () => {
    const server = await httpServer(() => undefined);
    const started = Date.now();
    const error = await failureOf(
      gatewayFor(server.url, { deadlineMs: 800, headersMs: 60_000 }).send(request(), {
        credentials: kairos,
      }),
    );
    expect(error.code).toBe('outcome-unknown');
    expect(error.message).toMatch(/deadline/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('treats headers slower than the headers timeout as outcome-unknown', async () => {
    const server = await httpServer((_req, res) => {
      setTimeout(() => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE), 3_000).unref();
    });
    const error = await failureOf(
      gatewayFor(server.url, { headersMs: 300 }).send(request(), { credentials: kairos }),
    );
    expect(error.code).toBe('outcome-unknown');
    expect(error.message).toMatch(/no answer came in time/);
  });

  it('waits for slow headers that arrive within the timeout', async () => {
    const server = await httpServer((_req, res) => {
      setTimeout(() => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE), 300).unref();
    });
    const result = await gatewayFor(server.url, { headersMs: 5_000 }).send(request(), {
      credentials: kairos,
    });
    expect(result.requestId).toBe(KAIROS_LIVENESS_SAMPLE.api_req_uid);
  });

  it('treats a body that stops half-way after a 200 as outcome-unknown', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"api_req_uid": "x", ');
    });
    const error = await failureOf(
      gatewayFor(server.url, { bodyMs: 300 }).send(request(), { credentials: kairos }),
    );
    expect(error.code).toBe('outcome-unknown');
  });

  it('calls a cancelled request before sending a network error', async () => {
    const server = await httpServer((_req, res) => answerJson(res, 200, KAIROS_LIVENESS_SAMPLE));
    const error = await failureOf(
      gatewayFor(server.url).send(request(), { credentials: kairos, signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe('network');
    expect(server.received).toHaveLength(0);
  });
});

describe('answers that are not a result', () => {
  let server: CaptureServer;
  let gateway: VendorGateway;
  beforeAll(async () => {
    server = await startCaptureServer(() => undefined);
    gateway = new VendorGateway({ baseUrls: { kairos: server.url, 'biometric-kz': server.url } });
  });
  afterAll(async () => {
    await gateway.close();
    await server.close();
  });

  it.each([500, 502, 503, 504])('retries later on HTTP %i (server)', async (status) => {
    server.respond = (_req, res) => answerJson(res, status, { message: 'internal' });
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe('server');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(status);
  });

  it('recognises an HTML 502 page from a proxy as server trouble', async () => {
    server.respond = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>',
      );
    };
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe('server');
    expect(error.message).toContain('proxy');
    expect(error.vendorReason).toBeUndefined();
  });

  it('calls malformed JSON in a 200 a bad response, to be retried', async () => {
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"api_req_uid": "abc", "response_data": {');
    };
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe('bad-response');
    expect(error.retryable).toBe(true);
  });

  it('calls a 200 without the documented fields a bad response', async () => {
    server.respond = (_req, res) =>
      answerJson(res, 200, { api_req_uid: 'x', response_data: { faces_liveness: 'high' } });
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe('bad-response');
  });

  it('calls a captive-portal login page in a 200 a bad response', async () => {
    server.respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please log in to the branch Wi-Fi</body></html>');
    };
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/not with readable JSON/);
  });

  it.each([
    [401, 'auth', false],
    [404, 'bad-response', true],
    [405, 'bad-response', true],
    [403, 'usage-limit', false],
    [429, 'usage-limit', false],
    [400, 'rejected-input', false],
    [413, 'rejected-input', false],
    [415, 'rejected-input', false],
    [422, 'rejected-input', false],
  ] as const)('maps HTTP %i to %s', async (status, code, retryable) => {
    server.respond = (_req, res) => answerJson(res, status, { message: `status ${status} reason` });
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    if (code === 'rejected-input') expect(error.vendorReason).toBe(`status ${status} reason`);
  });

  it.each([
    ['Could not send image to liveness service', 'server'],
    ['Client does not have access to Liveness technology', 'auth'],
    ['Subscription has not started', 'auth'],
    ['No active or future subscription for technology', 'auth'],
    ['Client does not have subscription', 'auth'],
    ['Image is unreadable', 'rejected-input'],
  ] as const)('reads biometric.kz 400 "%s" as %s', async (detail, code) => {
    server.respond = (_req, res) => answerJson(res, 400, { detail });
    const error = await failureOf(
      gateway.send(
        { kind: 'liveness', api: 'biometric-kz-liveness-short', selfie, threshold: 0.6 },
        { credentials: { vendor: 'biometric-kz', apiKey: 'bkz-secret-key-1' } },
      ),
    );
    expect(error.code).toBe(code);
    expect(error.vendorReason).toBe(detail);
  });

  it('never puts a credential in an error, even when the vendor echoes it', async () => {
    server.respond = (_req, res) =>
      answerJson(res, 401, {
        message: 'invalid app_key fault-app-key-secret for app fault-app-id',
      });
    const error = await failureOf(gateway.send(request(), { credentials: kairos }));
    const shown = JSON.stringify(error.toJSON()) + error.message + String(error.vendorReason);
    expect(error.code).toBe('auth');
    expect(shown).not.toContain('fault-app-key-secret');
    expect(shown).not.toContain('fault-app-id');
  });

  it('refuses to send without credentials, before anything leaves the kiosk', async () => {
    server.received.length = 0;
    const error = await failureOf(
      gateway.send(request(), { credentials: { vendor: 'kairos', appId: '', appKey: '' } }),
    );
    expect(error.code).toBe('auth');
    expect(server.received).toHaveLength(0);
  });
});
