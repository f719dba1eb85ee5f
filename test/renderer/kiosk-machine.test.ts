/**
 * The customer's way through, transition by transition and timeout by timeout, on the real
 * machine with twins of the kiosk api and the camera (no DOM, no camera, no window.kiosk).
 * Timers are vitest's fake ones, so a 90 s idle timeout takes no time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, type Actor } from 'xstate';
import type { SessionOutcome } from '../../preload/contract.js';
import { kioskMachine, TIMEOUTS, type KioskMachine } from '../../renderer/src/kiosk-machine.js';
import { screenOf, type ScreenName } from '../../renderer/src/screen-of.js';
import {
  apiError,
  CONFIG,
  deferred,
  fakeApi,
  fakeCamera,
  guidance,
  MATCH_SESSION,
  report,
  SESSION_ID,
} from './kiosk-fakes.js';

type Kiosk = ReturnType<typeof fakeApi> & {
  actor: Actor<KioskMachine>;
  camera: ReturnType<typeof fakeCamera>;
  screen(): ScreenName;
  send: Actor<KioskMachine>['send'];
};

/** Lets promises settle and timers due by now fire. */
const flush = () => vi.advanceTimersByTimeAsync(0);
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function kiosk(prepare?: (kiosk: Omit<Kiosk, 'actor' | 'screen' | 'send'>) => void): Kiosk {
  const parts = { ...fakeApi(), camera: fakeCamera() };
  prepare?.(parts);
  const actor = createActor(kioskMachine, { input: { api: parts.api, camera: parts.camera } });
  actor.start();
  return {
    ...parts,
    actor,
    screen: () => screenOf(actor.getSnapshot()),
    send: actor.send.bind(actor),
  };
}

async function atAttract(prepare?: Parameters<typeof kiosk>[0]): Promise<Kiosk> {
  const k = kiosk(prepare);
  await flush();
  expect(k.screen()).toBe('attract');
  return k;
}

/** Agreed, camera open, guiding the first picture. */
async function guiding(prepare?: Parameters<typeof kiosk>[0]): Promise<Kiosk> {
  const k = await atAttract(prepare);
  k.send({ type: 'START' });
  k.send({ type: 'AGREE' });
  await flush();
  return k;
}

/** Both pictures taken and accepted: waiting for the verification. */
async function sending(prepare?: Parameters<typeof kiosk>[0]): Promise<Kiosk> {
  const k = await guiding(prepare);
  for (const _role of MATCH_SESSION.roles) {
    await wait(CONFIG.manualCaptureAfterMs);
    k.send({ type: 'CAPTURE' });
    await flush();
    expect(k.screen()).toBe('review');
    k.send({ type: 'CONTINUE' });
    await flush();
  }
  return k;
}

/** What every way back to the start must leave behind: no session, no camera, no picture. */
function expectCleanStart(k: Kiosk): void {
  expect(k.screen()).toBe('attract');
  expect(k.api.endSession).toHaveBeenCalledWith(SESSION_ID);
  expect(k.camera.running).toBe(false);
  expect(k.camera.openPictures.size).toBe(0);
  const { session, picture, guidance: last, outcome } = k.actor.getSnapshot().context;
  expect({ session, picture, last, outcome }).toEqual({
    session: null,
    picture: null,
    last: null,
    outcome: null,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('start-up and the attract screen', () => {
  it('reads the settings, then shows the attract screen in the default language', async () => {
    const k = kiosk();
    expect(k.screen()).toBe('starting');
    await flush();
    expect(k.screen()).toBe('attract');
    expect(k.actor.getSnapshot().context.language).toBe('ru');
  });

  it('shows the staff screen when the settings cannot be read; Back to start reads them again', async () => {
    const k = kiosk((parts) => parts.api.getConfig.mockRejectedValueOnce(apiError('unavailable')));
    await flush();
    expect(k.screen()).toBe('unavailable');
    k.send({ type: 'BACK' });
    expect(k.screen()).toBe('starting');
    await flush();
    expect(k.screen()).toBe('attract');
  });

  it('shows the staff screen when the settings never come, after 10 s', async () => {
    const k = kiosk((parts) => parts.api.getConfig.mockReturnValueOnce(new Promise(() => {})));
    await wait(TIMEOUTS.configMs - 1);
    expect(k.screen()).toBe('starting');
    await wait(1);
    expect(k.screen()).toBe('unavailable');
  });

  it('an idle staff screen without settings tries to start again', async () => {
    const k = kiosk((parts) => parts.api.getConfig.mockRejectedValueOnce(apiError('internal')));
    await flush();
    expect(k.screen()).toBe('unavailable');
    await wait(90_000);
    expect(k.screen()).toBe('attract');
  });

  it('offers only the configured languages', async () => {
    const k = await atAttract((parts) =>
      parts.api.getConfig.mockResolvedValue({ ...CONFIG, languages: ['ru', 'en'] }),
    );
    k.send({ type: 'SET_LANGUAGE', language: 'en' });
    expect(k.actor.getSnapshot().context.language).toBe('en');
    k.send({ type: 'SET_LANGUAGE', language: 'kk' });
    expect(k.actor.getSnapshot().context.language).toBe('en');
  });

  it('reads the settings again at each attract screen, keeping the language if still offered', async () => {
    const k = await atAttract();
    k.send({ type: 'SET_LANGUAGE', language: 'kk' });
    k.api.getConfig.mockResolvedValue({
      ...CONFIG,
      languages: ['en', 'ru'],
      defaultLanguage: 'en',
    });
    k.send({ type: 'START' });
    k.send({ type: 'DECLINE' });
    await flush();
    expect(k.screen()).toBe('attract');
    expect(k.api.getConfig).toHaveBeenCalledTimes(3);
    expect(k.actor.getSnapshot().context.language).toBe('en');
  });

  it('keeps the last settings when reading them again fails', async () => {
    const k = await atAttract((parts) =>
      parts.api.getConfig
        .mockResolvedValueOnce(CONFIG)
        .mockResolvedValueOnce(CONFIG)
        .mockRejectedValue(apiError('unavailable')),
    );
    k.send({ type: 'START' });
    k.send({ type: 'DECLINE' });
    await flush();
    expect(k.screen()).toBe('attract');
    expect(k.actor.getSnapshot().status).toBe('active');
    expect(k.actor.getSnapshot().context.config).toEqual(CONFIG);
    k.send({ type: 'START' });
    expect(k.screen()).toBe('consent');
  });

  it('an idle attract screen goes back to the default language and forgets its notice', async () => {
    const k = await atAttract();
    k.send({ type: 'SET_LANGUAGE', language: 'en' });
    await wait(CONFIG.idle.otherMs - 1);
    expect(k.actor.getSnapshot().context.language).toBe('en');
    await wait(1);
    expect(k.screen()).toBe('attract');
    expect(k.actor.getSnapshot().context.language).toBe('ru');
  });

  it('a touch restarts the idle timeout', async () => {
    const k = await atAttract();
    k.send({ type: 'SET_LANGUAGE', language: 'en' });
    await wait(CONFIG.idle.otherMs - 10);
    k.send({ type: 'ACTIVITY' });
    await wait(CONFIG.idle.otherMs - 10);
    expect(k.actor.getSnapshot().context.language).toBe('en');
    await wait(10);
    expect(k.actor.getSnapshot().context.language).toBe('ru');
  });

  it('Start shows the consent screen; the camera stays closed until the customer agrees', async () => {
    const k = await atAttract();
    k.send({ type: 'START' });
    expect(k.screen()).toBe('consent');
    await wait(1000);
    expect(k.camera.open).not.toHaveBeenCalled();
    expect(k.api.startSession).not.toHaveBeenCalled();
  });
});

describe('consent', () => {
  it('Agree starts the session with the kind, language and consent version, then opens the camera', async () => {
    const k = await atAttract();
    k.send({ type: 'SET_LANGUAGE', language: 'kk' });
    k.send({ type: 'START' });
    k.send({ type: 'AGREE' });
    expect(k.screen()).toBe('consent');
    await flush();
    expect(k.api.startSession).toHaveBeenCalledWith({
      kind: 'liveness-and-match',
      language: 'kk',
      consentVersion: '2026-12',
    });
    expect(k.camera.open).toHaveBeenCalledTimes(1);
    expect(k.camera.open.mock.calls[0]?.[0]).toBe('Front camera');
    expect(k.screen()).toBe('id-photo');
  });

  it('Decline records the decline and goes back to the start, with no session and no camera', async () => {
    const k = await atAttract();
    k.send({ type: 'SET_LANGUAGE', language: 'en' });
    k.send({ type: 'START' });
    k.send({ type: 'DECLINE' });
    await flush();
    expect(k.api.declineConsent).toHaveBeenCalledWith({
      kind: 'liveness-and-match',
      language: 'en',
    });
    expect(k.screen()).toBe('attract');
    expect(k.api.startSession).not.toHaveBeenCalled();
    expect(k.camera.open).not.toHaveBeenCalled();
  });

  it('a decline the main process refuses still goes back to the start', async () => {
    const k = await atAttract((parts) =>
      parts.api.declineConsent.mockRejectedValue(apiError('unavailable')),
    );
    k.send({ type: 'START' });
    k.send({ type: 'DECLINE' });
    await flush();
    expect(k.screen()).toBe('attract');
  });

  it('a decline that never answers goes back to the start after 5 s', async () => {
    const k = await atAttract((parts) =>
      parts.api.declineConsent.mockReturnValue(new Promise(() => {})),
    );
    k.send({ type: 'START' });
    k.send({ type: 'DECLINE' });
    await wait(TIMEOUTS.declineMs - 1);
    expect(k.screen()).toBe('consent');
    await wait(1);
    expect(k.screen()).toBe('attract');
  });

  it('a refused start (invalid-state, bad-input) goes back to the start with a short message', async () => {
    for (const code of ['invalid-state', 'bad-input'] as const) {
      const k = await atAttract((parts) =>
        parts.api.startSession.mockRejectedValue(apiError(code)),
      );
      k.send({ type: 'START' });
      k.send({ type: 'AGREE' });
      await flush();
      expect(k.screen()).toBe('attract');
      expect(k.actor.getSnapshot().context.notice).toBe('start-again');
      k.send({ type: 'START' });
      expect(k.actor.getSnapshot().context.notice).toBeNull();
      k.actor.stop();
    }
  });

  it('a start the main process cannot serve shows the staff screen', async () => {
    const k = await atAttract((parts) =>
      parts.api.startSession.mockRejectedValue(apiError('unavailable')),
    );
    k.send({ type: 'START' });
    k.send({ type: 'AGREE' });
    await flush();
    expect(k.screen()).toBe('unavailable');
    expect(k.camera.open).not.toHaveBeenCalled();
  });

  it('a start that never answers shows the staff screen after 15 s', async () => {
    const k = await atAttract((parts) =>
      parts.api.startSession.mockReturnValue(new Promise(() => {})),
    );
    k.send({ type: 'START' });
    k.send({ type: 'AGREE' });
    await wait(TIMEOUTS.startSessionMs - 1);
    expect(k.screen()).toBe('consent');
    await wait(1);
    expect(k.screen()).toBe('unavailable');
  });

  it('an idle consent screen goes back to the start', async () => {
    const k = await atAttract();
    k.send({ type: 'START' });
    await wait(CONFIG.idle.otherMs - 1);
    expect(k.screen()).toBe('consent');
    await wait(1);
    expect(k.screen()).toBe('attract');
    expect(k.api.declineConsent).not.toHaveBeenCalled();
  });
});

describe('the camera', () => {
  it('remembers a camera that worked when it is not the one in the settings', async () => {
    const k = await guiding((parts) =>
      parts.camera.open.mockResolvedValue({ label: 'USB camera' }),
    );
    expect(k.api.rememberCamera).toHaveBeenCalledWith('USB camera');
    const same = await guiding();
    expect(same.api.rememberCamera).not.toHaveBeenCalled();
  });

  it.each([
    ['NotFoundError', 'not-found'],
    ['NotAllowedError', 'not-allowed'],
    ['NotReadableError', 'busy'],
    ['TypeError', 'other'],
  ])('a camera that fails with %s shows the camera problem %s', async (name, problem) => {
    const k = await guiding((parts) =>
      parts.camera.open.mockRejectedValue(Object.assign(new Error('camera'), { name })),
    );
    expect(k.screen()).toBe('camera-problem');
    expect(k.actor.getSnapshot().context.cameraProblem).toBe(problem);
    expect(k.camera.stop).toHaveBeenCalled();
  });

  it('a camera that never opens shows the camera problem after 10 s and abandons the late stream', async () => {
    const k = await guiding((parts) => parts.camera.open.mockReturnValue(new Promise(() => {})));
    expect(k.screen()).toBe('id-photo');
    await wait(TIMEOUTS.cameraOpenMs - 1);
    expect(k.screen()).toBe('id-photo');
    await wait(1);
    expect(k.screen()).toBe('camera-problem');
    expect(k.actor.getSnapshot().context.cameraProblem).toBe('timeout');
    const signal = k.camera.open.mock.calls[0]?.[1];
    expect(signal?.aborted).toBe(true);
  });

  it('an unplugged camera shows the camera problem; Try again opens it again for the same picture', async () => {
    const k = await guiding();
    await wait(CONFIG.manualCaptureAfterMs);
    k.send({ type: 'CAPTURE' });
    await flush();
    k.send({ type: 'CONTINUE' });
    await flush();
    expect(k.screen()).toBe('selfie');
    k.camera.lose();
    expect(k.screen()).toBe('camera-problem');
    expect(k.actor.getSnapshot().context.cameraProblem).toBe('lost');
    expect(k.camera.running).toBe(false);
    k.send({ type: 'TRY_AGAIN' });
    await flush();
    expect(k.camera.open).toHaveBeenCalledTimes(2);
    expect(k.screen()).toBe('selfie');
  });

  it('Back to start from the camera problem ends the session', async () => {
    const k = await guiding();
    k.camera.lose();
    k.send({ type: 'BACK' });
    expectCleanStart(k);
  });

  it('an idle camera problem goes back to the start', async () => {
    const k = await guiding();
    k.camera.lose();
    await wait(CONFIG.idle.otherMs);
    expectCleanStart(k);
  });

  it('stops listening for an unplugged camera once it is closed', async () => {
    const k = await guiding();
    k.send({ type: 'BACK' });
    k.camera.lose();
    expect(k.screen()).toBe('attract');
  });
});

describe('guidance', () => {
  it('sends the next frame only when the last one answered, and not more often than the frame interval', async () => {
    const first = deferred<ReturnType<typeof guidance>>();
    const k = await guiding((parts) => parts.api.analyzeFrame.mockReturnValueOnce(first.promise));
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(1);
    expect(k.api.analyzeFrame.mock.calls[0]?.[0]).toMatchObject({
      sessionId: SESSION_ID,
      role: 'id-photo',
      frame: { width: 320, height: 180 },
    });
    await wait(2000);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(1);
    // A late answer: the next frame goes at once.
    first.resolve(guidance('too-far'));
    await flush();
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
    // A quick answer: the next frame waits for the rest of the tenth of a second.
    await wait(TIMEOUTS.frameIntervalMs - 1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
    await wait(1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(3);
    await wait(TIMEOUTS.frameIntervalMs * 10);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(13);
  });

  it('keeps the frame schedule after an answer a little late, instead of shifting it', async () => {
    const I = TIMEOUTS.frameIntervalMs;
    const late = deferred<ReturnType<typeof guidance>>();
    const k = await guiding((parts) => parts.api.analyzeFrame.mockReturnValueOnce(late.promise));
    // Frame 1 went at 0 and answers at I + 30 ms: frame 2 goes at once (it was due at I).
    await wait(I + 30);
    late.resolve(guidance('too-far'));
    await flush();
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
    // Frame 3 is due at 2I, not 2I + 30: the lateness is made up, not carried on.
    await wait(I - 31);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
    await wait(1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(3);
    // And one every I from there.
    await wait(10 * I);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(13);
  });

  it('catches up after a slow answer: as many frames as on schedule', async () => {
    const I = TIMEOUTS.frameIntervalMs;
    const slow = deferred<ReturnType<typeof guidance>>();
    const k = await guiding((parts) => parts.api.analyzeFrame.mockReturnValueOnce(slow.promise));
    await wait(2 * I + I / 2);
    slow.resolve(guidance('too-far'));
    await wait(1);
    // Frames 2 and 3 were due at I and 2I: both go at once.
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(3);
    await wait(I / 2 - 2);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(3);
    await wait(1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(4);
    // Frames at 4I ... 9I: ten in all by 10I, as if the slow answer had not happened.
    await wait(7 * I - 1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(10);
  });

  it('waits for the video when it has no frame yet', async () => {
    const k = await guiding((parts) => parts.camera.grabGuidanceFrame.mockReturnValueOnce(null));
    expect(k.api.analyzeFrame).not.toHaveBeenCalled();
    await wait(TIMEOUTS.frameIntervalMs);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(1);
  });

  it('changes the message on screen only when two answers agree', async () => {
    const k = await guiding((parts) =>
      parts.api.analyzeFrame
        .mockResolvedValueOnce(guidance('too-far'))
        .mockResolvedValueOnce(guidance('too-dark'))
        .mockResolvedValueOnce(guidance('too-far'))
        .mockResolvedValueOnce(guidance('blurry'))
        .mockResolvedValue(guidance('blurry')),
    );
    const shown = () => k.actor.getSnapshot().context.shownGuidanceKey;
    expect(shown()).toBe('guidance.id-photo.too-far');
    await wait(TIMEOUTS.frameIntervalMs);
    expect(shown()).toBe('guidance.id-photo.too-far');
    await wait(TIMEOUTS.frameIntervalMs * 2);
    expect(shown()).toBe('guidance.id-photo.too-far');
    await wait(TIMEOUTS.frameIntervalMs);
    expect(shown()).toBe('guidance.id-photo.blurry');
  });

  it('takes the picture by itself after autoCaptureSteadyMs of "ok" answers in a row', async () => {
    const k = await guiding((parts) => parts.api.analyzeFrame.mockResolvedValue(guidance('ok')));
    await wait(CONFIG.autoCaptureSteadyMs - 1);
    expect(k.api.capture).not.toHaveBeenCalled();
    await wait(1);
    expect(k.api.capture).toHaveBeenCalledTimes(1);
    expect(k.api.capture.mock.calls[0]?.[0]).toMatchObject({
      sessionId: SESSION_ID,
      role: 'id-photo',
      frame: { width: 1280, height: 720 },
    });
    expect(k.screen()).toBe('review');
  });

  it('a not-ok answer starts the steady time again', async () => {
    const k = await guiding((parts) => parts.api.analyzeFrame.mockResolvedValue(guidance('ok')));
    // Answers come at 0, 100, 200 ... ms; the one at 800 ms says "hold still", so the steady
    // time starts again at 900 ms.
    await wait(750);
    k.api.analyzeFrame.mockResolvedValueOnce(guidance('hold-still'));
    await wait(900 + CONFIG.autoCaptureSteadyMs - 750 - 1);
    expect(k.api.capture).not.toHaveBeenCalled();
    await wait(1);
    expect(k.api.capture).toHaveBeenCalledTimes(1);
  });

  it('offers the manual button after manualCaptureAfterMs, and not before', async () => {
    const k = await guiding();
    k.send({ type: 'CAPTURE' });
    await flush();
    expect(k.api.capture).not.toHaveBeenCalled();
    expect(
      k.actor
        .getSnapshot()
        .matches({ flow: { capture: { live: { framing: { manual: 'hidden' } } } } }),
    ).toBe(true);
    await wait(CONFIG.manualCaptureAfterMs);
    expect(k.actor.getSnapshot().context.manualOffered).toBe(true);
    k.send({ type: 'CAPTURE' });
    await flush();
    expect(k.api.capture).toHaveBeenCalledTimes(1);
    expect(k.screen()).toBe('review');
  });

  it('guidance frames are not activity: an idle capture screen goes back to the start', async () => {
    const k = await guiding();
    await wait(CONFIG.idle.otherMs - 1);
    expect(k.screen()).toBe('id-photo');
    await wait(1);
    expectCleanStart(k);
  });

  it('a session the main process no longer knows goes back to the start with a message', async () => {
    const k = await guiding((parts) =>
      parts.api.analyzeFrame.mockRejectedValue(apiError('invalid-state')),
    );
    expectCleanStart(k);
    expect(k.actor.getSnapshot().context.notice).toBe('start-again');
  });

  it('an unavailable pipeline shows the staff screen, with the camera off', async () => {
    const k = await guiding((parts) =>
      parts.api.analyzeFrame.mockRejectedValue(apiError('unavailable')),
    );
    expect(k.screen()).toBe('unavailable');
    expect(k.camera.running).toBe(false);
    k.send({ type: 'BACK' });
    expectCleanStart(k);
  });

  it('keeps guiding after a frame fails with another error', async () => {
    const k = await guiding((parts) =>
      parts.api.analyzeFrame.mockRejectedValueOnce(apiError('internal')),
    );
    await wait(TIMEOUTS.frameIntervalMs);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
    expect(k.screen()).toBe('id-photo');
  });

  it('asks again with a fresh frame when an answer takes over 5 s', async () => {
    const k = await guiding((parts) =>
      parts.api.analyzeFrame.mockReturnValueOnce(new Promise(() => {})),
    );
    await wait(TIMEOUTS.analyzeMs + TIMEOUTS.frameIntervalMs - 1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(1);
    await wait(1);
    expect(k.api.analyzeFrame).toHaveBeenCalledTimes(2);
  });
});

describe('capture and review', () => {
  async function manualCapture(k: Kiosk): Promise<void> {
    await wait(CONFIG.manualCaptureAfterMs);
    k.send({ type: 'CAPTURE' });
    await flush();
  }

  it('a refused capture shows why, forgets the picture and keeps guiding with the button', async () => {
    const k = await guiding((parts) => parts.api.capture.mockResolvedValueOnce(report(false)));
    await manualCapture(k);
    expect(k.screen()).toBe('id-photo');
    expect(k.actor.getSnapshot().context.rejectionKey).toBe('guidance.id-photo.blurry');
    expect(k.camera.openPictures.size).toBe(0);
    expect(k.actor.getSnapshot().context.manualOffered).toBe(true);
    k.send({ type: 'CAPTURE' });
    await flush();
    expect(k.screen()).toBe('review');
    expect(k.actor.getSnapshot().context.rejectionKey).toBeNull();
  });

  it('an accepted capture shows the picture; Retake forgets it and guides again', async () => {
    const k = await guiding();
    await manualCapture(k);
    expect(k.screen()).toBe('review');
    const picture = k.actor.getSnapshot().context.picture;
    expect(picture).toMatch(/^blob:/);
    k.send({ type: 'RETAKE' });
    expect(k.screen()).toBe('id-photo');
    expect(k.camera.forgetPicture).toHaveBeenCalledWith(picture);
    expect(k.actor.getSnapshot().context.picture).toBeNull();
    expect(k.camera.running).toBe(true);
  });

  it('takes the ID photo, then the selfie, then sends with the camera off and no picture kept', async () => {
    const k = await guiding();
    await manualCapture(k);
    k.send({ type: 'CONTINUE' });
    expect(k.screen()).toBe('selfie');
    expect(k.actor.getSnapshot().context.manualOffered).toBe(false);
    await flush();
    expect(k.api.analyzeFrame.mock.lastCall?.[0].role).toBe('selfie');
    await manualCapture(k);
    expect(k.api.capture.mock.lastCall?.[0].role).toBe('selfie');
    k.send({ type: 'CONTINUE' });
    expect(k.screen()).toBe('sending');
    expect(k.camera.running).toBe(false);
    expect(k.camera.openPictures.size).toBe(0);
    expect(k.api.verify).toHaveBeenCalledWith(SESSION_ID);
  });

  it('a liveness session takes the selfie only', async () => {
    const k = await guiding((parts) =>
      parts.api.startSession.mockResolvedValue({
        ...MATCH_SESSION,
        kind: 'liveness',
        roles: ['selfie'],
      }),
    );
    expect(k.screen()).toBe('selfie');
    await manualCapture(k);
    k.send({ type: 'CONTINUE' });
    expect(k.screen()).toBe('sending');
  });

  it.each(['invalid-state', 'bad-input'] as const)(
    'a capture refused with %s goes back to the start with a message',
    async (code) => {
      const k = await guiding((parts) => parts.api.capture.mockRejectedValue(apiError(code)));
      await manualCapture(k);
      expectCleanStart(k);
      expect(k.actor.getSnapshot().context.notice).toBe('start-again');
    },
  );

  it('a capture the main process cannot serve shows the staff screen', async () => {
    const k = await guiding((parts) =>
      parts.api.capture.mockRejectedValue(apiError('unavailable')),
    );
    await manualCapture(k);
    expect(k.screen()).toBe('unavailable');
    expect(k.camera.openPictures.size).toBe(0);
  });

  it('a camera that gives no picture lets the customer try again', async () => {
    const k = await guiding((parts) =>
      parts.camera.grabPicture.mockRejectedValueOnce(new Error('no frame')),
    );
    await manualCapture(k);
    expect(k.screen()).toBe('id-photo');
    expect(k.actor.getSnapshot().context.rejectionKey).toBe('capture.failed');
  });

  it('a capture that never answers shows the staff screen after 20 s', async () => {
    const k = await guiding((parts) => parts.api.capture.mockReturnValue(new Promise(() => {})));
    await manualCapture(k);
    await wait(TIMEOUTS.captureMs - 1);
    expect(k.screen()).toBe('id-photo');
    await wait(1);
    expect(k.screen()).toBe('unavailable');
    expect(k.camera.openPictures.size).toBe(0);
  });

  it('an idle review screen goes back to the start and forgets the picture', async () => {
    const k = await guiding();
    await manualCapture(k);
    await wait(CONFIG.idle.otherMs - 1);
    expect(k.screen()).toBe('review');
    await wait(1);
    expectCleanStart(k);
  });

  it('Back to start while taking pictures ends the session', async () => {
    const k = await guiding();
    await manualCapture(k);
    k.send({ type: 'BACK' });
    expectCleanStart(k);
  });
});

describe('sending', () => {
  it('shows the upload progress of this session only', async () => {
    const pending = deferred<SessionOutcome>();
    const k = await sending((parts) => parts.api.verify.mockReturnValue(pending.promise));
    k.emit({ type: 'session-progress', sessionId: SESSION_ID, sent: 10, total: 40 });
    k.emit({ type: 'session-progress', sessionId: crypto.randomUUID(), sent: 39, total: 40 });
    expect(k.actor.getSnapshot().context.progress).toEqual({ sent: 10, total: 40 });
    pending.resolve({ status: 'answered', verdict: 'verified', training: false });
    await flush();
    expect(k.listenerCount()).toBe(0);
  });

  it.each<[SessionOutcome, ScreenName]>([
    [{ status: 'answered', verdict: 'verified', training: false }, 'result-verified'],
    [{ status: 'answered', verdict: 'staff-review', training: false }, 'result-staff'],
    [{ status: 'answered', verdict: 'not-verified', training: true }, 'result-not-verified'],
    [{ status: 'not-sent', reason: 'image-rejected', retake: true }, 'result-not-verified'],
    [{ status: 'not-sent', reason: 'failed', retake: false }, 'result-staff'],
    [{ status: 'queued', ticket: 'K7Q2M9', training: false }, 'result-queued'],
  ])('the outcome %j shows %s', async (outcome, screen) => {
    const k = await sending((parts) => parts.api.verify.mockResolvedValue(outcome));
    expect(k.screen()).toBe(screen);
    expect(k.actor.getSnapshot().context.outcome).toEqual(outcome);
  });

  it('Cancel cancels the verification; its cancelled outcome goes back to the start', async () => {
    const pending = deferred<SessionOutcome>();
    const k = await sending((parts) => parts.api.verify.mockReturnValue(pending.promise));
    k.send({ type: 'CANCEL' });
    expect(k.api.cancelVerification).toHaveBeenCalledWith(SESSION_ID);
    expect(k.screen()).toBe('sending');
    pending.resolve({ status: 'cancelled' });
    await flush();
    expectCleanStart(k);
  });

  it('a verification that finished before the cancel shows its result', async () => {
    const pending = deferred<SessionOutcome>();
    const k = await sending((parts) => parts.api.verify.mockReturnValue(pending.promise));
    k.send({ type: 'CANCEL' });
    pending.resolve({ status: 'queued', ticket: 'K7Q2M9', training: false });
    await flush();
    expect(k.screen()).toBe('result-queued');
  });

  it('a cancel that gets no answer goes back to the start after 10 s', async () => {
    const k = await sending((parts) => parts.api.verify.mockReturnValue(new Promise(() => {})));
    k.send({ type: 'CANCEL' });
    await wait(TIMEOUTS.cancelMs - 1);
    expect(k.screen()).toBe('sending');
    await wait(1);
    expectCleanStart(k);
  });

  it('a verification that never answers is cancelled after 60 s and staff are asked', async () => {
    const k = await sending((parts) => parts.api.verify.mockReturnValue(new Promise(() => {})));
    await wait(TIMEOUTS.verifyMs - 1);
    expect(k.screen()).toBe('sending');
    await wait(1);
    expect(k.screen()).toBe('unavailable');
    expect(k.api.cancelVerification).toHaveBeenCalledWith(SESSION_ID);
  });

  it('a verification the main process cannot serve shows the staff screen', async () => {
    const k = await sending((parts) => parts.api.verify.mockRejectedValue(apiError('internal')));
    expect(k.screen()).toBe('unavailable');
  });

  it('a verification of a session that is gone goes back to the start with a message', async () => {
    const k = await sending((parts) =>
      parts.api.verify.mockRejectedValue(apiError('invalid-state')),
    );
    expectCleanStart(k);
    expect(k.actor.getSnapshot().context.notice).toBe('start-again');
  });

  it('an idle sending screen cancels and goes back to the start', async () => {
    const k = await sending((parts) => {
      parts.api.getConfig.mockResolvedValue({
        ...CONFIG,
        idle: { resultMs: 10_000, otherMs: 20_000 },
      });
      parts.api.verify.mockReturnValue(new Promise(() => {}));
    });
    await wait(20_000);
    expect(k.api.cancelVerification).toHaveBeenCalledWith(SESSION_ID);
    expectCleanStart(k);
  });
});

describe('the result', () => {
  it('a result screen goes back to the start after resultMs, not otherMs', async () => {
    const k = await sending();
    expect(k.screen()).toBe('result-verified');
    await wait(CONFIG.idle.resultMs - 1);
    expect(k.screen()).toBe('result-verified');
    await wait(1);
    expectCleanStart(k);
  });

  it('Done goes back to the start and ends the session', async () => {
    const k = await sending((parts) =>
      parts.api.verify.mockResolvedValue({ status: 'queued', ticket: 'K7Q2M9', training: false }),
    );
    k.send({ type: 'DONE' });
    expectCleanStart(k);
  });

  it('Try again after pictures the vendor refused takes new pictures in the same session', async () => {
    const k = await sending((parts) =>
      parts.api.verify.mockResolvedValue({
        status: 'not-sent',
        reason: 'image-rejected',
        retake: true,
      }),
    );
    k.send({ type: 'TRY_AGAIN' });
    await flush();
    expect(k.screen()).toBe('id-photo');
    expect(k.camera.open).toHaveBeenCalledTimes(2);
    expect(k.api.startSession).toHaveBeenCalledTimes(1);
    expect(k.api.endSession).not.toHaveBeenCalled();
  });

  it('offers no Try again after a vendor answered "not verified"', async () => {
    const k = await sending((parts) =>
      parts.api.verify.mockResolvedValue({
        status: 'answered',
        verdict: 'not-verified',
        training: false,
      }),
    );
    k.send({ type: 'TRY_AGAIN' });
    expect(k.screen()).toBe('result-not-verified');
  });

  it('a touch on a result screen restarts its idle timeout', async () => {
    const k = await sending();
    await wait(CONFIG.idle.resultMs - 10);
    k.send({ type: 'ACTIVITY' });
    await wait(CONFIG.idle.resultMs - 10);
    expect(k.screen()).toBe('result-verified');
  });
});

describe('the staff console', () => {
  it('opens from the attract screen only: STAFF is ignored on every other screen', async () => {
    const k = await atAttract();
    k.send({ type: 'START' });
    expect(k.screen()).toBe('consent');
    k.send({ type: 'STAFF' });
    expect(k.screen()).toBe('consent');
    k.send({ type: 'AGREE' });
    await flush();
    expect(k.screen()).toBe('id-photo');
    k.send({ type: 'STAFF' });
    expect(k.screen()).toBe('id-photo');
    k.send({ type: 'BACK' });
    await flush();
    expect(k.screen()).toBe('attract');
    k.send({ type: 'STAFF' });
    expect(k.screen()).toBe('staff-console');
  });

  it('ignores STAFF while the kiosk is still starting', () => {
    const k = kiosk((parts) => parts.api.getConfig.mockReturnValueOnce(new Promise(() => {})));
    k.send({ type: 'STAFF' });
    expect(k.screen()).toBe('starting');
  });

  it('the main process signing staff out goes back to the attract screen, which reads the settings again', async () => {
    const k = await atAttract();
    k.send({ type: 'STAFF' });
    expect(k.screen()).toBe('staff-console');
    const reads = k.api.getConfig.mock.calls.length;
    k.emit({ type: 'staff-signed-out', reason: 'idle' });
    expect(k.screen()).toBe('attract');
    await flush();
    expect(k.api.getConfig).toHaveBeenCalledTimes(reads + 1);
  });

  it('Close goes back to the attract screen and signs staff out', async () => {
    const k = await atAttract();
    k.send({ type: 'STAFF' });
    k.send({ type: 'STAFF_DONE' });
    expect(k.screen()).toBe('attract');
    expect(k.api.signOut).toHaveBeenCalledTimes(1);
    // The console's event listener is gone with it.
    k.emit({ type: 'staff-signed-out', reason: 'signed-out' });
    expect(k.screen()).toBe('attract');
  });

  it('the customer’s idle timeout does not close the console; two staff minutes without a touch do', async () => {
    const k = await atAttract();
    k.send({ type: 'STAFF' });
    await wait(CONFIG.idle.otherMs + 1000);
    expect(k.screen()).toBe('staff-console');
    k.send({ type: 'ACTIVITY' });
    await wait(TIMEOUTS.staffIdleMs - 1);
    expect(k.screen()).toBe('staff-console');
    await wait(1);
    expect(k.screen()).toBe('attract');
    expect(k.api.signOut).toHaveBeenCalled();
  });
});
