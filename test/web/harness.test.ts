/**
 * The browser harness on real parts: the kiosk's services in training mode (the embedded
 * emulator, a real queue file, the real keychain), served on loopback. Who may reach it (token,
 * Host, Origin), the binary frame wire format, typed errors for anything off-contract, and one
 * customer session from consent to outcome over the WebSocket.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startKiosk, type Kiosk } from '../../main/kiosk.js';
import { contentSecurityPolicy } from '../../main/ipc/content-security-policy.js';
import {
  startHarness,
  TOKEN_COOKIE,
  WEBSOCKET_PATH,
  type Harness,
} from '../../main/web/harness-server.js';
import { encodeCommand } from '../../preload/harness-wire.js';
import { CLEAR_FACES, faceFrame } from '../helpers/faces.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';

let dataDir: string;
let rendererDir: string;
let kiosk: Kiosk;
let harness: Harness;
const keychain = isolatedKeychainStore();

beforeAll(async () => {
  await requireRealKeychain();
  dataDir = mkdtempSync(join(tmpdir(), 'kv-harness-'));
  rendererDir = mkdtempSync(join(tmpdir(), 'kv-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  kiosk = await startKiosk({ dataDir, secrets: keychain.store });
  harness = await startHarness({
    commands: kiosk.commands,
    onEvent: (listener) => kiosk.onEvent(listener),
    rendererDir,
  });
});

afterAll(async () => {
  await harness?.close();
  await kiosk?.close();
  await keychain.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: harness.port,
        path,
        headers: { host: `127.0.0.1:${harness.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const cookie = (): string => `${TOKEN_COOKIE}=${harness.token}`;

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${harness.port}${WEBSOCKET_PATH}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** A command's answer as the wire carries it (loosely typed: the tests check the shapes). */
interface Answer {
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  value?: any;
  error?: { code: string; message: string };
}

/** A client speaking the wire format: commands by id, events collected. */
function client(ws: WebSocket) {
  let nextId = 1;
  const events: unknown[] = [];
  const waiting = new Map<number | null, (result: Answer) => void>();
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as
      { id: number | null; result: unknown } | { event: unknown };
    if ('event' in message) events.push(message.event);
    else waiting.get(message.id)?.(message.result as Answer);
  });
  return {
    events,
    raw(payload: string | Buffer, id: number | null): Promise<Answer> {
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(payload);
      });
    },
    call(channel: string, input?: unknown): Promise<Answer> {
      const id = nextId++;
      const encoded = encodeCommand({ id, channel, input });
      return this.raw(typeof encoded === 'string' ? encoded : Buffer.from(encoded), id);
    },
  };
}

describe('who may reach the harness', () => {
  it('serves nothing without the token, then swaps the token for an HttpOnly cookie', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/', { cookie: `${TOKEN_COOKIE}=wrong` })).status).toBe(403);
    const swap = await get(`/?token=${harness.token}`);
    expect(swap.status).toBe(303);
    expect(swap.headers.location).toBe('/');
    expect(String(swap.headers['set-cookie'])).toContain('HttpOnly');
    expect(String(swap.headers['set-cookie'])).toContain('SameSite=Strict');
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>kiosk</title>');
  });

  it('serves the same Content-Security-Policy as the Electron shell, plus its own socket', async () => {
    const page = await get('/', { cookie: cookie() });
    expect(page.headers['content-security-policy']).toBe(
      contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${harness.port}`] }),
    );
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin even with the cookie', async () => {
    expect((await get('/', { cookie: cookie(), host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/', { cookie: cookie(), origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses a path outside the renderer', async () => {
    expect((await get('/../../etc/passwd', { cookie: cookie() })).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd', { cookie: cookie() })).status).toBe(404);
  });

  it('refuses a WebSocket without the token, from another origin, or without an Origin', async () => {
    const origin = harness.origin;
    await expect(connect({ origin })).rejects.toThrow(/403/);
    await expect(connect({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow(
      /403/,
    );
    await expect(connect({ origin: 'null', cookie: cookie() })).rejects.toThrow(/403/);
    await expect(connect({ cookie: cookie() })).rejects.toThrow(/403/);
    const ws = await connect({ origin, cookie: cookie() });
    ws.close();
  });
});

describe('the contract over the WebSocket', () => {
  let ws: WebSocket;
  let kioskClient: ReturnType<typeof client>;

  beforeAll(async () => {
    ws = await connect({ origin: harness.origin, cookie: cookie() });
    kioskClient = client(ws);
  });
  afterAll(() => ws?.close());

  it('answers anything off-contract with a typed error and goes on', async () => {
    const notJson = await kioskClient.raw('{not json', null);
    expect(notJson).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const unknown = await kioskClient.call('fs:read-file', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const wrongShape = await kioskClient.call('session:start', { kind: 'selfie-only' });
    expect(wrongShape).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const shortFrame = await kioskClient.call('session:analyze-frame', {
      sessionId: '00000000-0000-4000-8000-000000000000',
      role: 'selfie',
      frame: { width: 320, height: 240, data: new Uint8Array(100) },
    });
    expect(shortFrame).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const garbageBinary = await kioskClient.raw(Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2]), null);
    expect(garbageBinary).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    // Still serving.
    const config = await kioskClient.call('kiosk:get-config');
    expect(config).toMatchObject({ ok: true, value: { trainingMode: true } });
  });

  it('walks one customer session: consent, guidance, capture, verify on the emulator, end', async () => {
    const before = kiosk.emulator!.requests().length;
    const started = await kioskClient.call('session:start', {
      kind: 'liveness',
      language: 'en',
      consentVersion: '2026-12',
    });
    expect(started).toMatchObject({ ok: true, value: { roles: ['selfie'], training: true } });
    const sessionId = started.value.sessionId as string;

    const face = CLEAR_FACES[0]!;
    const small = await faceFrame(face, { width: 320, height: 180, faceShare: 0.35 });
    const guidance = await kioskClient.call('session:analyze-frame', {
      sessionId,
      role: 'selfie',
      frame: small,
    });
    expect(guidance.ok).toBe(true);
    expect(guidance.value.messageKey).toMatch(/^guidance\.selfie\./);
    expect(guidance.value.faceBox).not.toBeNull();

    const full = await faceFrame(face, { width: 1280, height: 720, faceShare: 0.35 });
    const captured = await kioskClient.call('session:capture', {
      sessionId,
      role: 'selfie',
      frame: full,
    });
    expect(captured).toMatchObject({ ok: true, value: { accepted: true, role: 'selfie' } });
    expect(JSON.stringify(captured).length).toBeLessThan(2000); // numbers, never the bytes

    // A retake, as the browser kiosk sends it: the same frame as the browser's JPEG.
    const jpeg = await sharp(full.data, { raw: { width: 1280, height: 720, channels: 4 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const retake = await kioskClient.call('session:capture', {
      sessionId,
      role: 'selfie',
      frame: { width: 1280, height: 720, encoding: 'jpeg', data: new Uint8Array(jpeg) },
    });
    expect(retake).toMatchObject({ ok: true, value: { accepted: true, role: 'selfie' } });
    const notJpeg = await kioskClient.call('session:capture', {
      sessionId,
      role: 'selfie',
      frame: { width: 1280, height: 720, encoding: 'jpeg', data: new Uint8Array(5000) },
    });
    expect(notJpeg).toMatchObject({ ok: false });
    expect(kiosk.services.sessions.picturesHeld).toBe(1); // the retake, kept

    const outcome = await kioskClient.call('session:verify', { sessionId });
    expect(outcome).toMatchObject({ ok: true, value: { status: 'answered', training: true } });
    expect(kiosk.emulator!.requests().length).toBe(before + 1);
    // The answer is kept for the staff console with the picture's measures, numbers only.
    const kept = kiosk.services.store.list(1)[0]!;
    expect(kept).toMatchObject({ state: 'done', hasImages: false, training: true });
    expect(kept.quality?.selfie).toMatchObject({
      faceRatio: expect.any(Number),
      yaw: expect.any(Number),
      roll: expect.any(Number),
      interEyeDistance: expect.any(Number),
    });
    expect(kioskClient.events).toContainEqual(
      expect.objectContaining({ type: 'session-state', sessionId, state: 'answered' }),
    );
    expect(
      kioskClient.events.some((e) => (e as { type: string }).type === 'session-progress'),
    ).toBe(true);

    expect(await kioskClient.call('session:end', { sessionId })).toEqual({ ok: true, value: null });
    expect(kiosk.services.sessions.picturesHeld).toBe(0);
    const late = await kioskClient.call('session:analyze-frame', {
      sessionId,
      role: 'selfie',
      frame: await faceFrame(face, { width: 320, height: 180 }),
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
  });

  it('keeps a training kiosk on loopback: every vendor URL is the embedded emulator', () => {
    expect(kiosk.training).toBe(true);
    expect(kiosk.emulator!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kiosk.services.store.trainingMode).toBe(true);
  });
});
