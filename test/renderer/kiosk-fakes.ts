/**
 * Twins of the two things the kiosk machine talks to: the kiosk api (window.kiosk) and the
 * camera. Each call is recorded; each answer can be held back (a deferred) to test waits and
 * timeouts.
 */
import { vi } from 'vitest';
import { KioskApiError, type CommandErrorCode } from '../../preload/border.js';
import type {
  CaptureReport,
  FrameGuidance,
  KioskApi,
  KioskConfig,
  KioskEvent,
  SessionInfo,
  SessionOutcome,
} from '../../preload/contract.js';
import type { Guidance } from '../../model/guidance.js';
import type { CameraPort, RgbaFrame } from '../../renderer/src/camera/camera-port.js';

export const SESSION_ID = '5b0e7d2c-8a3e-4a51-9a53-6c1f5d1b2a10';

export const CONFIG: KioskConfig = {
  trainingMode: false,
  languages: ['en', 'ru', 'kk'],
  defaultLanguage: 'ru',
  defaultSessionKind: 'liveness-and-match',
  vendorNames: { liveness: 'Kairos', 'liveness-and-match': 'Kairos' },
  maxQueueDays: 3,
  retentionDays: 30,
  consentVersion: '2026-12',
  idle: { resultMs: 30_000, otherMs: 90_000 },
  autoCaptureSteadyMs: 1000,
  manualCaptureAfterMs: 6000,
  camera: 'Front camera',
};

export const MATCH_SESSION: SessionInfo = {
  sessionId: SESSION_ID,
  kind: 'liveness-and-match',
  roles: ['id-photo', 'selfie'],
  vendorName: 'Kairos',
  training: false,
};

export function apiError(code: CommandErrorCode): KioskApiError {
  return new KioskApiError({ code, message: `a ${code} failure`, retryable: false });
}

export function guidance(verdict: Guidance, role = 'id-photo'): FrameGuidance {
  return {
    verdict,
    messageKey: `guidance.${role}.${verdict}`,
    faceBox: null,
    faces: verdict === 'no-face' ? 0 : 1,
    steadyFrames: verdict === 'ok' ? 5 : 0,
    frameWidth: 320,
    frameHeight: 180,
  };
}

export function report(accepted: boolean, role: 'id-photo' | 'selfie' = 'id-photo'): CaptureReport {
  const verdict = accepted ? 'ok' : 'blurry';
  return {
    role,
    accepted,
    verdict,
    messageKey: `guidance.${role}.${verdict}`,
    width: 1280,
    height: 720,
    byteSize: 120_000,
    quality: { faceRatio: 0.3, brightness: 0.5, sharpness: 0.8 },
  };
}

/** A promise the test settles by hand. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function fakeApi() {
  const listeners = new Set<(event: KioskEvent) => void>();
  const api = {
    getInfo: vi.fn(),
    getSecretStatus: vi.fn(),
    getQueueStatus: vi.fn(),
    listJobs: vi.fn(),
    findJob: vi.fn(),
    retryJob: vi.fn(),
    discardJob: vi.fn(),
    resumeVendor: vi.fn(),
    getConfig: vi.fn<KioskApi['getConfig']>(() => Promise.resolve(CONFIG)),
    rememberCamera: vi.fn<KioskApi['rememberCamera']>(() => Promise.resolve(null)),
    declineConsent: vi.fn<KioskApi['declineConsent']>(() => Promise.resolve(null)),
    startSession: vi.fn<KioskApi['startSession']>(() => Promise.resolve(MATCH_SESSION)),
    analyzeFrame: vi.fn<KioskApi['analyzeFrame']>(() => Promise.resolve(guidance('too-far'))),
    capture: vi.fn<KioskApi['capture']>(() => Promise.resolve(report(true))),
    verify: vi.fn<KioskApi['verify']>(() =>
      Promise.resolve<SessionOutcome>({ status: 'answered', verdict: 'verified', training: false }),
    ),
    cancelVerification: vi.fn<KioskApi['cancelVerification']>(() => Promise.resolve(null)),
    endSession: vi.fn<KioskApi['endSession']>(() => Promise.resolve(null)),
    // The staff console's commands: the machine only signs staff out on leaving the console.
    listPage: vi.fn(),
    staffStatus: vi.fn(),
    setFirstPin: vi.fn(),
    signIn: vi.fn(),
    signOut: vi.fn<KioskApi['signOut']>(() => Promise.resolve(null)),
    staffActivity: vi.fn<KioskApi['staffActivity']>(() => Promise.resolve({ signedIn: true })),
    getSettings: vi.fn(),
    updateSettings: vi.fn(),
    getCredentials: vi.fn(),
    setCredentials: vi.fn(),
    removeCredentials: vi.fn(),
    testConnection: vi.fn(),
    verifyAudit: vi.fn(),
    exportAudit: vi.fn(),
    saveDiagnostics: vi.fn(),
    quitApp: vi.fn(),
    onEvent: vi.fn<KioskApi['onEvent']>((listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  } satisfies KioskApi;
  return {
    api,
    /** Sends an event as the main process would. */
    emit(event: KioskEvent): void {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}

export function fakeCamera() {
  const lostListeners = new Set<() => void>();
  const open = new Set<string>();
  let nextPicture = 1;
  // One buffer per size, shared: the mocks keep every call, and a test keeps hundreds.
  const buffers = new Map<number, Uint8Array<ArrayBuffer>>();
  const frame = (width: number, height: number): RgbaFrame => {
    const size = width * height * 4;
    const data = buffers.get(size) ?? new Uint8Array(size);
    buffers.set(size, data);
    return { width, height, data };
  };
  const camera = {
    running: false,
    /** Picture URLs handed out and not yet forgotten. */
    openPictures: open,
    open: vi.fn<CameraPort['open']>(() => {
      camera.running = true;
      return Promise.resolve({ label: 'Front camera' });
    }),
    stop: vi.fn<CameraPort['stop']>(() => {
      camera.running = false;
    }),
    onLost: vi.fn<CameraPort['onLost']>((listener) => {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    }),
    grabGuidanceFrame: vi.fn<CameraPort['grabGuidanceFrame']>(() => frame(320, 180)),
    grabPicture: vi.fn<CameraPort['grabPicture']>(() => {
      const url = `blob:picture-${nextPicture++}`;
      open.add(url);
      return Promise.resolve({ frame: frame(1280, 720), url });
    }),
    forgetPicture: vi.fn<CameraPort['forgetPicture']>((url) => {
      open.delete(url);
    }),
    /** Unplugs the camera. */
    lose(): void {
      for (const listener of lostListeners) listener();
    },
  } satisfies CameraPort & Record<string, unknown>;
  return camera;
}
