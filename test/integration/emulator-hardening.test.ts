/**
 * The emulator as a server on the kiosk itself (training mode, next to a browser): credentials
 * checked before the upload is kept, bounded uploads and memory, header/request/idle timeouts,
 * controls only with the per-start token, and a warning when it listens beyond loopback.
 * Real HTTP and raw TCP on 127.0.0.1; for its memory, the built CLI in its own process.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PATH, type ApiId } from '../../model/apis.js';
import {
  DEFAULT_EMULATOR_TIMEOUTS,
  TRAINING_CREDENTIALS,
  type VendorEmulator,
} from '../../main/emulator/index.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import { VendorGateway } from '../../main/vendors/gateway.js';
import { DEFAULT_TIMEOUTS } from '../../main/vendors/http-transport.js';
import type { VendorCredentials } from '../../model/request.js';
import { startEmulatorProcess } from '../helpers/emulator-process.js';
import { makeJpeg } from '../helpers/images.js';
import { useEmulators } from '../helpers/emulators.js';

// ---- emulators, forms, requests -----------------------------------------------------------

const emulatorWith = useEmulators();

const KAIROS = TRAINING_CREDENTIALS.kairos;
const BKZ_KEY = TRAINING_CREDENTIALS.biometricKz.apiKey;
const kairosHeaders = (appKey: string = KAIROS.appKey): Record<string, string> => ({
  app_id: KAIROS.appId,
  app_key: appKey,
});

const BOUNDARY = 'kiosk-verify-hardening';
type Part = { name: string; value: string } | { name: string; fileName: string; bytes: Buffer };

/** A multipart body as pieces (a large file is sent as the same Buffer, never copied). */
function multipart(parts: Part[]): { headers: Record<string, string>; pieces: Buffer[] } {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ('value' in part) {
      pieces.push(Buffer.from(`${disposition}\r\n\r\n${part.value}\r\n`));
    } else {
      pieces.push(
        Buffer.from(
          `${disposition}; filename="${part.fileName}"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        part.bytes,
        Buffer.from('\r\n'),
      );
    }
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, pieces };
}

const lengthOf = (pieces: Buffer[]): number => pieces.reduce((sum, piece) => sum + piece.length, 0);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface PartialUpload {
  /** The answer, if one comes while the upload is still unfinished. */
  answer: Promise<Answer>;
  /** Resolves when the connection is closed (by either side). */
  closed: Promise<void>;
  abort(): void;
}

/**
 * Declares the whole body's length but sends only its first `sendBytes`, then waits: whatever
 * answer comes was given before the upload finished.
 */
function partialUpload(
  emulator: VendorEmulator,
  api: ApiId,
  headers: Record<string, string>,
  pieces: Buffer[],
  sendBytes: number,
): PartialUpload {
  const body = Buffer.concat(pieces);
  const req = httpRequest(emulator.url + API_PATH[api], {
    method: 'POST',
    agent: false,
    headers: { ...headers, 'content-length': String(body.length) },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.once('error', reject);
  });
  answer.catch(() => {});
  const closed = new Promise<void>((resolve) => req.once('close', resolve));
  req.write(body.subarray(0, sendBytes));
  return { answer, closed, abort: () => req.destroy() };
}

async function post(
  emulator: VendorEmulator,
  api: ApiId,
  headers: Record<string, string>,
  pieces: Buffer[],
): Promise<Answer> {
  const response = await request(emulator.url + API_PATH[api], {
    method: 'POST',
    headers,
    body: Buffer.concat(pieces),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: await response.body.text(),
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms),
    ),
  ]);
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A raw TCP connection: what it received, and when the server closed it. */
function rawSocket(emulator: VendorEmulator): {
  socket: Socket;
  received: () => string;
  closedAfterMs: Promise<number>;
} {
  const socket = connect(emulator.port, '127.0.0.1');
  const startedAt = performance.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', () => {});
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now() - startedAt)),
  );
  return { socket, received: () => text, closedAfterMs };
}

let selfieJpeg: Buffer;

beforeAll(async () => {
  selfieJpeg = await makeJpeg(640, 480);
});

// ---- credentials before the body ----------------------------------------------------------

describe('credentials are checked before the upload is kept', () => {
  const bigFile = Buffer.alloc(8 * 1024 * 1024, 7);

  it('Kairos: wrong app_key is answered 401 before any body byte is read, and the socket closed', async () => {
    const emulator = await emulatorWith();
    const form = multipart([
      { name: 'selfie', fileName: 'selfie.jpg', bytes: bigFile },
      { name: 'threshold', value: '0.6' },
    ]);
    const upload = partialUpload(
      emulator,
      'kairos-liveness-v0.2',
      { ...form.headers, ...kairosHeaders('not-the-key') },
      form.pieces,
      64 * 1024,
    );

    const answer = await within(upload.answer, 2000, 'the 401');
    expect(answer.status).toBe(401);
    expect(answer.headers['connection']).toBe('close');
    expect(JSON.parse(answer.text)).toEqual({ message: expect.stringContaining('app_id') });
    await within(upload.closed, 2000, 'the server closing the connection');
    expect(emulator.requests()).toMatchObject([
      { status: 401, bytesReceived: 0, uploadCompleted: false, outcome: 'answered' },
    ]);
  });

  it('biometric.kz: a wrong api_key is refused as it arrives, before the image is read', async () => {
    const emulator = await emulatorWith();
    const form = multipart([
      { name: 'api_key', value: 'not-the-key-0000' },
      { name: 'image', fileName: 'face.jpg', bytes: bigFile },
    ]);
    const upload = partialUpload(
      emulator,
      'biometric-kz-liveness-short',
      form.headers,
      form.pieces,
      64 * 1024,
    );

    const answer = await within(upload.answer, 2000, 'the 400');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      detail: 'Client does not have access to Liveness technology',
    });
    await within(upload.closed, 2000, 'the server closing the connection');
    expect(emulator.requests()[0]!.bytesReceived).toBeLessThanOrEqual(64 * 1024);
  });

  it('biometric.kz: keeps at most maxBytesBeforeKey of a form until its api_key, in the kiosk order', async () => {
    const emulator = await emulatorWith({ maxBytesBeforeKey: 100_000 });
    // The kiosk's own order: the image, then api_key. A small one is answered as before.
    const small = multipart([
      { name: 'image', fileName: 'face.jpg', bytes: selfieJpeg },
      { name: 'api_key', value: BKZ_KEY },
    ]);
    expect(selfieJpeg.length).toBeLessThan(100_000);
    expect(
      (await post(emulator, 'biometric-kz-liveness-short', small.headers, small.pieces)).status,
    ).toBe(200);

    const big = multipart([
      { name: 'image', fileName: 'face.jpg', bytes: bigFile },
      { name: 'api_key', value: BKZ_KEY },
    ]);
    const upload = partialUpload(
      emulator,
      'biometric-kz-liveness-short',
      big.headers,
      big.pieces,
      400_000,
    );
    const answer = await within(upload.answer, 2000, 'the 413');
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).detail).toMatch(/image: more than 100000 bytes .* api_key/);
    await within(upload.closed, 2000, 'the server closing the connection');
  });

  it.each([
    ['kairos-liveness-v0.1', { vendor: 'kairos', appId: KAIROS.appId, appKey: 'nope-0000' }],
    ['biometric-kz-liveness-short', { vendor: 'biometric-kz', apiKey: 'not-the-key-0000' }],
  ] as const)(
    '%s: the kiosk still reads a refusal of a 3 MB upload as auth, not as a network failure',
    async (api, credentials: VendorCredentials) => {
      const emulator = await emulatorWith();
      const gateway = new VendorGateway({
        baseUrls: { kairos: emulator.url, 'biometric-kz': emulator.url },
      });
      try {
        const selfie = {
          bytes: Buffer.concat([selfieJpeg, Buffer.alloc(3 * 1024 * 1024)]),
          fileName: 'selfie.jpg',
          contentType: 'image/jpeg' as const,
        };
        const error = await gateway
          .send({ kind: 'liveness', api, selfie, threshold: 0.6 }, { credentials })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(VendorError);
        expect((error as VendorError).code).toBe('auth');
      } finally {
        await gateway.close();
      }
    },
  );
});

// ---- bounded uploads ----------------------------------------------------------------------

describe('uploads are bounded', () => {
  const livenessForm = (bytes: Buffer): ReturnType<typeof multipart> =>
    multipart([
      { name: 'selfie', fileName: 'selfie.jpg', bytes },
      { name: 'threshold', value: '0.6' },
    ]);

  it('answers 503 at once, unread, to a body past maxConcurrentUploads', async () => {
    const emulator = await emulatorWith({ maxConcurrentUploads: 2 });
    const slow = livenessForm(Buffer.alloc(1024 * 1024));
    const hung = [1, 2].map(() =>
      partialUpload(
        emulator,
        'kairos-liveness-v0.2',
        { ...slow.headers, ...kairosHeaders() },
        slow.pieces,
        10_000,
      ),
    );
    await waitFor(() => emulator.requests().filter((r) => r.bytesReceived > 0).length === 2);

    const form = livenessForm(selfieJpeg);
    const startedAt = performance.now();
    const busy = await post(
      emulator,
      'kairos-liveness-v0.2',
      { ...form.headers, ...kairosHeaders() },
      form.pieces,
    );
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(emulator.requests()[2]).toMatchObject({ status: 503, bytesReceived: 0 });

    // Their slots come back when they end.
    for (const upload of hung) upload.abort();
    await waitFor(
      () => emulator.requests().filter((r) => r.outcome === 'client-aborted').length === 2,
    );
    const again = await post(
      emulator,
      'kairos-liveness-v0.2',
      { ...form.headers, ...kairosHeaders() },
      form.pieces,
    );
    expect(again.status).toBe(200);
  });

  it('answers 503 to a body that would take the file bytes held past maxBufferedBytes', async () => {
    // The hung upload keeps about 150 KB; what is left is half a selfie.
    const emulator = await emulatorWith({ maxBufferedBytes: 150_000 + selfieJpeg.length / 2 });
    const holding = livenessForm(Buffer.alloc(1024 * 1024));
    const upload = partialUpload(
      emulator,
      'kairos-liveness-v0.2',
      { ...holding.headers, ...kairosHeaders() },
      holding.pieces,
      150_000,
    );
    await waitFor(() => (emulator.requests()[0]?.bytesReceived ?? 0) >= 150_000);

    const form = livenessForm(selfieJpeg);
    const headers = { ...form.headers, ...kairosHeaders() };
    const refused = await post(emulator, 'kairos-liveness-v0.2', headers, form.pieces);
    expect(refused.status).toBe(503);

    upload.abort();
    await waitFor(() => emulator.requests()[0]?.outcome === 'client-aborted');
    expect((await post(emulator, 'kairos-liveness-v0.2', headers, form.pieces)).status).toBe(200);
  });

  // Linux only: it reads the emulator's resident memory from /proc/<pid>/status.
  it.runIf(process.platform === 'linux')(
    'keeps its memory bounded under 80 parallel 12 MB uploads with wrong credentials',
    async () => {
      const emulator = await startEmulatorProcess();
      try {
        const rssMb = (): number => {
          const status = readFileSync(`/proc/${emulator.pid}/status`, 'utf8');
          return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
        };
        const file = Buffer.alloc(12 * 1024 * 1024, 1);
        const kairos = multipart([
          { name: 'selfie', fileName: 'selfie.jpg', bytes: file },
          { name: 'threshold', value: '0.6' },
        ]);
        const bkz = multipart([
          { name: 'image', fileName: 'face.jpg', bytes: file },
          { name: 'api_key', value: 'not-the-key-0000' },
        ]);
        const send = (
          api: ApiId,
          headers: Record<string, string>,
          pieces: Buffer[],
        ): Promise<number | 'cut'> =>
          new Promise((resolve) => {
            const req = httpRequest(`${emulator.url}${API_PATH[api]}`, {
              method: 'POST',
              agent: false,
              headers: { ...headers, 'content-length': String(lengthOf(pieces)) },
            });
            req.on('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            // A refusal closes the connection under a client still writing: EPIPE / ECONNRESET.
            req.on('error', () => resolve('cut'));
            for (const piece of pieces) req.write(piece);
            req.end();
          });

        const baseline = rssMb();
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 10);
        const startedAt = performance.now();
        const outcomes = await Promise.all(
          Array.from({ length: 80 }, (_, index) =>
            index % 2 === 0
              ? send(
                  'kairos-liveness-v0.2',
                  { ...kairos.headers, ...kairosHeaders('not-the-key') },
                  kairos.pieces,
                )
              : send('biometric-kz-liveness-short', bkz.headers, bkz.pieces),
          ),
        );
        const seconds = (performance.now() - startedAt) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 300));
        clearInterval(sampler);
        const after = rssMb();
        console.log(
          `emulator RSS: ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, ` +
            `${after.toFixed(0)} MB after; 80 x 12 MB uploads in ${seconds.toFixed(1)} s`,
        );

        expect(outcomes).not.toContain(200);
        expect(peak - baseline).toBeLessThan(200);
        // Still serving.
        const good = multipart([
          { name: 'selfie', fileName: 'selfie.jpg', bytes: selfieJpeg },
          { name: 'threshold', value: '0.6' },
        ]);
        const response = await request(`${emulator.url}${API_PATH['kairos-liveness-v0.2']}`, {
          method: 'POST',
          headers: { ...good.headers, ...kairosHeaders() },
          body: Buffer.concat(good.pieces),
        });
        await response.body.dump();
        expect(response.statusCode).toBe(200);
      } finally {
        emulator.stop();
      }
    },
    20_000,
  );
});

// ---- timeouts -----------------------------------------------------------------------------

describe('timeouts', () => {
  it('defaults to a headers, request and idle timeout; the request one outlasts the kiosk', () => {
    expect(DEFAULT_EMULATOR_TIMEOUTS.headersMs).toBeGreaterThan(0);
    expect(DEFAULT_EMULATOR_TIMEOUTS.idleMs).toBeGreaterThan(0);
    expect(DEFAULT_EMULATOR_TIMEOUTS.requestMs).toBeGreaterThan(DEFAULT_TIMEOUTS.deadlineMs);
    expect(DEFAULT_EMULATOR_TIMEOUTS.requestMs).toBeLessThanOrEqual(5 * 60_000);
  });

  it('cuts off a slow-loris body at the request timeout', async () => {
    const emulator = await emulatorWith({ timeouts: { headersMs: 500, requestMs: 1000 } });
    const { socket, closedAfterMs } = rawSocket(emulator);
    const head =
      `POST ${API_PATH['kairos-liveness-v0.2']} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `app_id: ${KAIROS.appId}\r\napp_key: ${KAIROS.appKey}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 1000000\r\n\r\n`;
    socket.write(head);
    const drip = setInterval(() => socket.write('x'.repeat(100)), 100);
    try {
      const closedAfter = await within(closedAfterMs, 4000, 'the server cutting the body');
      expect(closedAfter).toBeGreaterThan(900);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    await waitFor(() => emulator.requests()[0]?.outcome === 'client-aborted');
  });

  it('cuts off headers that dribble in at the headers timeout', async () => {
    const emulator = await emulatorWith({ timeouts: { headersMs: 500, requestMs: 5000 } });
    const { socket, received, closedAfterMs } = rawSocket(emulator);
    socket.write(`POST ${API_PATH['kairos-liveness-v0.2']} HTTP/1.1\r\n`);
    let n = 0;
    const drip = setInterval(() => socket.write(`x-slow-${(n += 1)}: y\r\n`), 100);
    try {
      const closedAfter = await within(closedAfterMs, 3000, 'the server cutting the headers');
      expect(closedAfter).toBeGreaterThan(400);
      expect(received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it('closes a kept-alive connection left idle past the idle timeout', async () => {
    const emulator = await emulatorWith({ timeouts: { idleMs: 300 } });
    const { socket, received, closedAfterMs } = rawSocket(emulator);
    socket.write('GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    await waitFor(() => received().includes('Not found'));
    try {
      const closedAfter = await within(closedAfterMs, 1500, 'the server closing the idle socket');
      expect(closedAfter).toBeGreaterThan(250);
    } finally {
      socket.destroy();
    }
  });
});

// ---- controls -----------------------------------------------------------------------------

describe('/__emulator/ controls need the per-start token, JSON, and no foreign Origin', () => {
  const command = { api: 'kairos-liveness-v0.2', faults: { serverErrorStatus: 503 } };

  async function control(
    emulator: VendorEmulator,
    headers: Record<string, string>,
    method: 'GET' | 'POST' = 'POST',
    path = 'faults',
  ): Promise<{ status: number; json: unknown }> {
    const response = await request(`${emulator.url}/__emulator/${path}`, {
      method,
      headers,
      ...(method === 'POST' ? { body: JSON.stringify(command) } : {}),
    });
    return { status: response.statusCode, json: await response.body.json() };
  }

  async function faultIsOn(emulator: VendorEmulator): Promise<boolean> {
    const form = multipart([
      { name: 'selfie', fileName: 'selfie.jpg', bytes: selfieJpeg },
      { name: 'threshold', value: '0.6' },
    ]);
    const answer = await post(
      emulator,
      'kairos-liveness-v0.2',
      { ...form.headers, ...kairosHeaders() },
      form.pieces,
    );
    return answer.status === 503;
  }

  it('refuses a request without the token (401), even to read the log', async () => {
    const emulator = await emulatorWith();
    const json = { 'content-type': 'application/json' };
    expect((await control(emulator, json)).status).toBe(401);
    expect((await control(emulator, { ...json, 'x-emulator-token': 'guess' })).status).toBe(401);
    expect((await control(emulator, {}, 'GET', 'requests')).status).toBe(401);
    expect(await faultIsOn(emulator)).toBe(false);
  });

  it('refuses a command that is not application/json (415): a page can send text/plain unasked', async () => {
    const emulator = await emulatorWith();
    const token = { 'x-emulator-token': emulator.controlToken };
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await control(emulator, { ...token, 'content-type': contentType });
      expect(answer.status).toBe(415);
    }
    expect(await faultIsOn(emulator)).toBe(false);
  });

  it('refuses any foreign Origin (403), token or not', async () => {
    const emulator = await emulatorWith();
    const allowed = {
      'x-emulator-token': emulator.controlToken,
      'content-type': 'application/json',
    };
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1']) {
      const answer = await control(emulator, { ...allowed, origin });
      expect(answer).toMatchObject({ status: 403 });
    }
    expect(await faultIsOn(emulator)).toBe(false);
  });

  it('runs a command with the token (header or Bearer), from no Origin or its own', async () => {
    const emulator = await emulatorWith();
    const json = { 'content-type': 'application/json' };
    const viaHeader = await control(emulator, {
      ...json,
      'x-emulator-token': emulator.controlToken,
      origin: emulator.url,
    });
    expect(viaHeader).toEqual({ status: 200, json: command });
    expect(await faultIsOn(emulator)).toBe(true);
    const reset = await request(`${emulator.url}/__emulator/reset`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${emulator.controlToken}` },
      body: '{}',
    });
    expect(reset.statusCode).toBe(200);
    await reset.body.dump();
    expect(await faultIsOn(emulator)).toBe(false);
  });

  it('makes a new token at each start', async () => {
    const [first, second] = await Promise.all([emulatorWith(), emulatorWith()]);
    expect(first!.controlToken).toMatch(/^[\w-]{32}$/);
    expect(first!.controlToken).not.toBe(second!.controlToken);
    const answer = await control(first!, {
      'content-type': 'application/json',
      'x-emulator-token': second!.controlToken,
    });
    expect(answer.status).toBe(401);
  });
});

// ---- beyond loopback ----------------------------------------------------------------------

describe('listening beyond loopback', () => {
  it('warns that it is reachable from the network, and only then', async () => {
    const warnings: string[] = [];
    const onWarning = (message: string): void => void warnings.push(message);
    await emulatorWith({ host: '127.0.0.1', onWarning });
    await emulatorWith({ host: 'localhost', onWarning });
    expect(warnings).toEqual([]);

    const exposed = await emulatorWith({ host: '0.0.0.0', onWarning });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`0.0.0.0:${exposed.port}`);
    expect(warnings[0]).toMatch(/reachable from the network/);
  });
});
