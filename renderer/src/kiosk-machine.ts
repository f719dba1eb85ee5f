/**
 * The customer's way through the kiosk, as one explicit state machine: attract, consent, the
 * pictures (the ID photo first for a face match, then the selfie), sending, the result. Every
 * wait has a timeout here, every screen an idle timeout back to the attract screen, and every
 * way back to the attract screen ends the session, stops the camera and drops the pictures (the
 * attract state's entry). Components only send events and render the state.
 *
 * DOM-free: the api and the camera come in as input, and every side effect is a named actor or
 * action of `setup`, so tests run it in plain Node and can replace any of them with `provide`.
 */
import { assign, fromCallback, fromPromise, raise, setup, type SnapshotFrom } from 'xstate';
import type {
  CaptureReport,
  FrameGuidance,
  KioskApi,
  KioskConfig,
  SessionInfo,
  SessionOutcome,
} from '../../preload/contract.js';
import type { CaptureRole } from '../../model/guidance.js';
import type { Language, SessionKind } from '../../model/kiosk-settings.js';
import { errorCodeOf, isSessionProblem } from './api-errors.js';
import { cameraProblemOf, type CameraPort, type CameraProblem } from './camera/camera-port.js';

/** Every wait the machine does not take from the settings, with the reason for its length. */
/**
 * How many frames guidance may fall behind its schedule (TIMEOUTS.frameIntervalMs) and still
 * catch up (by sending the next frames as soon as the answers come): one slow answer (~250 ms,
 * a busy machine) costs no frames. Further behind, the schedule starts again from now.
 */
const CATCH_UP_FRAMES = 3;

export const TIMEOUTS = {
  /** Reading the settings is a local call: if it takes this long, something is broken. */
  configMs: 10_000,
  /** getUserMedia can hang on a broken driver; a customer should never face an endless wait. */
  cameraOpenMs: 10_000,
  /** Starting a session is local work in the main process. */
  startSessionMs: 15_000,
  /** The decline is only logged; the customer goes back to the start either way. */
  declineMs: 5_000,
  /** A guidance answer later than this is useless: ask again with a fresh frame. */
  analyzeMs: 5_000,
  /** The full-resolution checks take about a second; twenty is a broken pipeline. */
  captureMs: 20_000,
  /** The main process sends with a 20 s deadline, then queues: 60 s means it is stuck. */
  verifyMs: 60_000,
  /** After Cancel, the verification should answer 'cancelled' at once. */
  cancelMs: 10_000,
  /**
   * The staff console closes after two minutes without a touch: the main process signs staff
   * out then (main/staff/) and says so; this is the fallback should that event be lost.
   */
  staffIdleMs: 120_000,
  /**
   * About eleven guidance frames a second, so that at least ten are sustained: smooth enough
   * for a person, light for the CPU. The goal is a floor (10 a second, bench:ui), and a
   * schedule of exactly 100 ms measures 9.9-10.0 over any window as timers jitter; 90 ms
   * leaves the margin a minimum needs, for ~10% more analysis work.
   */
  frameIntervalMs: 90,
} as const;

/** The idle defaults of model/kiosk-settings.ts, used only before the settings are read. */
const DEFAULT_IDLE = { resultMs: 30_000, otherMs: 90_000 };

/** A short message the attract screen shows after a session had to be abandoned. */
export type Notice = 'start-again';

export interface KioskInput {
  api: KioskApi;
  camera: CameraPort;
}

export interface KioskContext extends KioskInput {
  config: KioskConfig | null;
  language: Language;
  session: SessionInfo | null;
  /** Which of session.roles is being taken. */
  roleIndex: number;
  /** The last guidance answer. */
  guidance: FrameGuidance | null;
  /** The guidance message on screen: a new one shows after two answers agree, so it does not flicker. */
  shownGuidanceKey: string | null;
  pendingGuidanceKey: string | null;
  /**
   * When the next guidance frame is due (performance.now()): frames keep a steady ten a second
   * by aiming at a schedule, so one late timer or answer is made up on the next frame instead
   * of stretching every interval (which gave ~9.3 a second). Null before the first frame.
   */
  nextFrameAt: number | null;
  /** Why the last capture was refused (a catalogue key), until the next capture. */
  rejectionKey: string | null;
  /** Once the manual button has appeared for this picture it stays. */
  manualOffered: boolean;
  /** The picture under review (a URL the camera owns). */
  picture: string | null;
  cameraLabel: string | null;
  cameraProblem: CameraProblem | null;
  progress: { sent: number; total: number } | null;
  outcome: SessionOutcome | null;
  notice: Notice | null;
  /** Which idle timeout the current screen has. */
  idleKind: 'result' | 'other';
}

export type KioskMachineEvent =
  | { type: 'START' }
  | { type: 'SET_LANGUAGE'; language: Language }
  | { type: 'AGREE' }
  | { type: 'DECLINE' }
  | { type: 'CAPTURE' }
  | { type: 'RETAKE' }
  | { type: 'CONTINUE' }
  | { type: 'CANCEL' }
  | { type: 'DONE' }
  | { type: 'TRY_AGAIN' }
  | { type: 'BACK' }
  /** A touch, key or pointer: restarts the idle timeout. */
  | { type: 'ACTIVITY' }
  | { type: 'CAMERA_LOST' }
  | { type: 'PROGRESS'; sent: number; total: number }
  /** Staff's long press or keyboard shortcut: the console, from the attract screen only. */
  | { type: 'STAFF' }
  /** The console's Close or Sign out. */
  | { type: 'STAFF_DONE' }
  /** The main process signed staff out (idle, or a customer's way started). */
  | { type: 'STAFF_SIGNED_OUT' }
  // Raised by the machine itself.
  | { type: 'IDLE_TIMEOUT' }
  | { type: 'SCREEN_ENTERED' }
  | { type: 'GUIDANCE_OK' }
  | { type: 'GUIDANCE_NOT_OK' };

interface SessionRef {
  api: KioskApi;
  sessionId: string;
}
interface CaptureRef extends SessionRef {
  camera: CameraPort;
  role: CaptureRole;
}
interface AnalyzedFrame {
  guidance: FrameGuidance | null;
}
interface CapturedPicture {
  report: CaptureReport;
  /** Null when the capture was refused: the camera forgot the picture already. */
  picture: string | null;
}

/** Where an outcome sends the customer; null: cancelled, back to the start. */
export type ResultScreen = 'verified' | 'staff' | 'notVerified' | 'queued';
export function resultScreenOf(outcome: SessionOutcome): ResultScreen | null {
  switch (outcome.status) {
    case 'cancelled':
      return null;
    case 'queued':
      return 'queued';
    case 'not-sent':
      return outcome.retake ? 'notVerified' : 'staff';
    case 'answered':
      if (outcome.verdict === 'verified') return 'verified';
      return outcome.verdict === 'staff-review' ? 'staff' : 'notVerified';
  }
}

export function roleOf(context: KioskContext): CaptureRole {
  return context.session?.roles[context.roleIndex] ?? 'selfie';
}

function kindOf(context: KioskContext): SessionKind {
  return context.config?.defaultSessionKind ?? 'liveness';
}

/** Calls a command whose answer nobody waits for; its failure must not become an unhandled rejection. */
function fireAndForget(call: () => Promise<unknown>): void {
  try {
    call().catch(() => undefined);
  } catch {
    // A synchronous throw is as harmless here as a rejection.
  }
}

const sessionRef = ({ context }: { context: KioskContext }): SessionRef => ({
  api: context.api,
  sessionId: context.session?.sessionId ?? '',
});
const captureRef = ({ context }: { context: KioskContext }): CaptureRef => ({
  ...sessionRef({ context }),
  camera: context.camera,
  role: roleOf(context),
});

/** The fields of one customer's visit, cleared at every attract screen. */
const CUSTOMER_RESET = {
  session: null,
  roleIndex: 0,
  guidance: null,
  shownGuidanceKey: null,
  pendingGuidanceKey: null,
  rejectionKey: null,
  manualOffered: false,
  picture: null,
  cameraProblem: null,
  progress: null,
  outcome: null,
} satisfies Partial<KioskContext>;

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskMachineEvent,
    input: {} as KioskInput,
  },
  actors: {
    loadConfig: fromPromise<KioskConfig, { api: KioskApi }>(({ input }) => input.api.getConfig()),
    declineConsent: fromPromise<null, { api: KioskApi; kind: SessionKind; language: Language }>(
      ({ input }) => input.api.declineConsent({ kind: input.kind, language: input.language }),
    ),
    startSession: fromPromise<
      SessionInfo,
      { api: KioskApi; kind: SessionKind; language: Language; consentVersion: string }
    >(({ input }) =>
      input.api.startSession({
        kind: input.kind,
        language: input.language,
        consentVersion: input.consentVersion,
      }),
    ),
    openCamera: fromPromise<
      { label: string },
      { camera: CameraPort; preferredLabel: string | null }
    >(({ input, signal }) => input.camera.open(input.preferredLabel, signal)),
    watchCamera: fromCallback<KioskMachineEvent, { camera: CameraPort }>(({ input, sendBack }) =>
      input.camera.onLost(() => sendBack({ type: 'CAMERA_LOST' })),
    ),
    analyzeFrame: fromPromise<AnalyzedFrame, CaptureRef>(async ({ input }) => {
      const frame = input.camera.grabGuidanceFrame();
      // The video has no picture yet (just opened): nothing to ask.
      if (frame === null) return { guidance: null };
      const guidance = await input.api.analyzeFrame({
        sessionId: input.sessionId,
        role: input.role,
        frame,
      });
      return { guidance };
    }),
    capturePicture: fromPromise<CapturedPicture, CaptureRef>(async ({ input, signal }) => {
      const picture = await input.camera.grabPicture();
      // Left before the answer (a timeout, Back): nobody will review this picture.
      const forget = (): void => input.camera.forgetPicture(picture.url);
      signal.addEventListener('abort', forget, { once: true });
      let report: CaptureReport;
      try {
        report = await input.api.capture({
          sessionId: input.sessionId,
          role: input.role,
          frame: picture.frame,
        });
      } catch (error) {
        forget();
        throw error;
      }
      if (!report.accepted || signal.aborted) {
        forget();
        return { report, picture: null };
      }
      signal.removeEventListener('abort', forget);
      return { report, picture: picture.url };
    }),
    verify: fromPromise<SessionOutcome, SessionRef>(({ input }) =>
      input.api.verify(input.sessionId),
    ),
    watchStaffSignOut: fromCallback<KioskMachineEvent, { api: KioskApi }>(({ input, sendBack }) => {
      try {
        return input.api.onEvent((event) => {
          if (event.type === 'staff-signed-out') sendBack({ type: 'STAFF_SIGNED_OUT' });
        });
      } catch {
        // No events: Close, Sign out and the console's own idle timeout still end it.
        return undefined;
      }
    }),
    watchProgress: fromCallback<KioskMachineEvent, SessionRef>(({ input, sendBack }) => {
      try {
        return input.api.onEvent((event) => {
          if (event.type === 'session-progress' && event.sessionId === input.sessionId) {
            sendBack({ type: 'PROGRESS', sent: event.sent, total: event.total });
          }
        });
      } catch {
        // No progress events: the bar shows that it is working, without a number.
        return undefined;
      }
    }),
  },
  actions: {
    // A frame that failed or timed out: the next waits a whole frame from now.
    waitAFullFrame: assign({ nextFrameAt: () => performance.now() + TIMEOUTS.frameIntervalMs }),
    endSession: ({ context }) => {
      const session = context.session;
      if (session !== null) fireAndForget(() => context.api.endSession(session.sessionId));
    },
    cancelVerification: ({ context }) => {
      const session = context.session;
      if (session !== null) fireAndForget(() => context.api.cancelVerification(session.sessionId));
    },
    stopCamera: ({ context }) => context.camera.stop(),
    // However the console closes, nobody stays signed in behind the attract screen.
    signOutStaff: ({ context }) => fireAndForget(() => context.api.signOut()),
    forgetPicture: ({ context }) => {
      if (context.picture !== null) context.camera.forgetPicture(context.picture);
    },
    clearPicture: assign({ picture: null }),
    rememberCamera: ({ context }) => {
      const label = context.cameraLabel;
      // Only a change is worth writing to the settings; an empty label names no camera.
      if (label !== null && label !== '' && label !== context.config?.camera) {
        fireAndForget(() => context.api.rememberCamera(label));
      }
    },
    resetCustomer: assign(CUSTOMER_RESET),
    noteStartAgain: assign({ notice: 'start-again' as Notice }),
    markOtherScreen: assign({ idleKind: 'other' as const }),
    markResultScreen: assign({ idleKind: 'result' as const }),
    restartIdle: raise({ type: 'SCREEN_ENTERED' }),
  },
  guards: {
    hasConfig: ({ context }) => context.config !== null,
    languageOffered: ({ context, event }) =>
      event.type === 'SET_LANGUAGE' && context.config?.languages.includes(event.language) === true,
    hasNextRole: ({ context }) =>
      context.session !== null && context.roleIndex + 1 < context.session.roles.length,
    retakeAllowed: ({ context }) =>
      context.outcome?.status === 'not-sent' && context.outcome.retake,
    manualOffered: ({ context }) => context.manualOffered,
  },
  delays: {
    idleTimeout: ({ context }) => {
      const idle = context.config?.idle ?? DEFAULT_IDLE;
      return context.idleKind === 'result' ? idle.resultMs : idle.otherMs;
    },
    autoCaptureDelay: ({ context }) => context.config?.autoCaptureSteadyMs ?? 1000,
    manualCaptureDelay: ({ context }) => context.config?.manualCaptureAfterMs ?? 6000,
    // The next frame goes when the last one answered, but not before it is due (~10 a second).
    framePause: ({ context }) => Math.max(0, (context.nextFrameAt ?? 0) - performance.now()),
    configTimeout: TIMEOUTS.configMs,
    cameraOpenTimeout: TIMEOUTS.cameraOpenMs,
    startSessionTimeout: TIMEOUTS.startSessionMs,
    declineTimeout: TIMEOUTS.declineMs,
    analyzeTimeout: TIMEOUTS.analyzeMs,
    captureTimeout: TIMEOUTS.captureMs,
    verifyTimeout: TIMEOUTS.verifyMs,
    cancelTimeout: TIMEOUTS.cancelMs,
    staffIdleTimeout: TIMEOUTS.staffIdleMs,
  },
}).createMachine({
  id: 'kiosk',
  type: 'parallel',
  context: ({ input }) => ({
    ...input,
    ...CUSTOMER_RESET,
    config: null,
    language: 'en',
    nextFrameAt: null,
    cameraLabel: null,
    notice: null,
    idleKind: 'other',
  }),
  states: {
    /**
     * The idle timeout, beside the screens: every screen entered (SCREEN_ENTERED, raised by
     * the screens) and every touch or key (ACTIVITY) starts it again. Guidance frames are
     * not activity: a customer who walked away must not keep the camera busy.
     */
    idle: {
      initial: 'counting',
      states: {
        // Self-transitions of the atomic state: re-entering the region instead would re-enter
        // the whole parallel root, screens included.
        counting: {
          on: {
            ACTIVITY: { target: 'counting', reenter: true },
            SCREEN_ENTERED: { target: 'counting', reenter: true },
          },
          after: {
            idleTimeout: {
              target: 'counting',
              reenter: true,
              actions: raise({ type: 'IDLE_TIMEOUT' }),
            },
          },
        },
      },
    },
    flow: {
      initial: 'booting',
      on: {
        IDLE_TIMEOUT: [{ guard: 'hasConfig', target: '#attract' }, { target: '#booting' }],
      },
      states: {
        booting: {
          id: 'booting',
          entry: ['markOtherScreen', 'restartIdle'],
          invoke: {
            src: 'loadConfig',
            input: ({ context }) => ({ api: context.api }),
            onDone: {
              target: 'attract',
              actions: assign({
                config: ({ event }) => event.output,
                language: ({ event }) => event.output.defaultLanguage,
              }),
            },
            onError: { target: 'unavailable' },
          },
          after: { configTimeout: { target: 'unavailable' } },
        },

        attract: {
          id: 'attract',
          // Every way back to the start passes here: nothing of the last customer survives it.
          entry: [
            'endSession',
            'stopCamera',
            'forgetPicture',
            'resetCustomer',
            'markOtherScreen',
            'restartIdle',
          ],
          // The settings are read again at each attract screen; a failure keeps the last ones.
          invoke: {
            src: 'loadConfig',
            input: ({ context }) => ({ api: context.api }),
            onDone: {
              actions: assign({
                config: ({ event }) => event.output,
                language: ({ context, event }) =>
                  event.output.languages.includes(context.language)
                    ? context.language
                    : event.output.defaultLanguage,
              }),
            },
            // Handled, or the failure would stop the whole machine.
            onError: { actions: [] },
          },
          on: {
            START: { target: 'consent', actions: assign({ notice: null }) },
            STAFF: { target: 'staff', actions: assign({ notice: null }) },
            SET_LANGUAGE: {
              guard: 'languageOffered',
              actions: assign({ language: ({ event }) => event.language }),
            },
            // Nobody is here: the next customer finds the default language.
            IDLE_TIMEOUT: {
              target: 'attract',
              reenter: true,
              actions: assign({
                notice: null,
                language: ({ context }) => context.config?.defaultLanguage ?? context.language,
              }),
            },
          },
        },

        /**
         * The staff console (renderer/src/console/), reached from the attract screen only. The
         * customer's idle timeout does not apply: the console has its own two minutes, as the
         * main process does. Every way out goes to the attract screen, which reads the
         * settings again (staff may have changed them).
         */
        staff: {
          initial: 'open',
          entry: ['markOtherScreen', 'restartIdle'],
          exit: ['signOutStaff'],
          invoke: {
            src: 'watchStaffSignOut',
            input: ({ context }) => ({ api: context.api }),
          },
          on: {
            IDLE_TIMEOUT: {},
            STAFF_DONE: { target: '#attract' },
            STAFF_SIGNED_OUT: { target: '#attract' },
          },
          states: {
            open: {
              on: { ACTIVITY: { target: 'open', reenter: true } },
              after: { staffIdleTimeout: { target: '#attract' } },
            },
          },
        },

        consent: {
          initial: 'reading',
          entry: ['markOtherScreen', 'restartIdle'],
          states: {
            reading: { on: { AGREE: 'starting', DECLINE: 'declining' } },
            starting: {
              invoke: {
                src: 'startSession',
                input: ({ context }) => ({
                  api: context.api,
                  kind: kindOf(context),
                  language: context.language,
                  consentVersion: context.config?.consentVersion ?? '',
                }),
                onDone: {
                  target: '#capture',
                  actions: assign({ session: ({ event }) => event.output, roleIndex: 0 }),
                },
                onError: [
                  {
                    guard: ({ event }) => isSessionProblem(event.error),
                    target: '#attract',
                    actions: 'noteStartAgain',
                  },
                  { target: '#unavailable' },
                ],
              },
              after: { startSessionTimeout: { target: '#unavailable' } },
            },
            declining: {
              invoke: {
                src: 'declineConsent',
                input: ({ context }) => ({
                  api: context.api,
                  kind: kindOf(context),
                  language: context.language,
                }),
                onDone: { target: '#attract' },
                onError: { target: '#attract' },
              },
              after: { declineTimeout: { target: '#attract' } },
            },
          },
        },

        capture: {
          id: 'capture',
          initial: 'opening',
          // The camera runs only while a picture is being taken or reviewed.
          exit: ['stopCamera'],
          on: { BACK: { target: '#attract' } },
          states: {
            opening: {
              entry: ['markOtherScreen', 'restartIdle'],
              invoke: {
                src: 'openCamera',
                input: ({ context }) => ({
                  camera: context.camera,
                  preferredLabel: context.config?.camera ?? null,
                }),
                onDone: {
                  target: 'live',
                  actions: [
                    assign({ cameraLabel: ({ event }) => event.output.label }),
                    'rememberCamera',
                  ],
                },
                onError: {
                  target: '#cameraProblem',
                  actions: assign({ cameraProblem: ({ event }) => cameraProblemOf(event.error) }),
                },
              },
              after: {
                cameraOpenTimeout: {
                  target: '#cameraProblem',
                  actions: assign({ cameraProblem: 'timeout' as CameraProblem }),
                },
              },
            },
            live: {
              invoke: { src: 'watchCamera', input: ({ context }) => ({ camera: context.camera }) },
              on: {
                CAMERA_LOST: {
                  target: '#cameraProblem',
                  actions: assign({ cameraProblem: 'lost' as CameraProblem }),
                },
              },
              initial: 'framing',
              states: {
                framing: {
                  id: 'framing',
                  type: 'parallel',
                  entry: [
                    assign({
                      guidance: null,
                      shownGuidanceKey: null,
                      pendingGuidanceKey: null,
                      nextFrameAt: null,
                    }),
                    'markOtherScreen',
                    'restartIdle',
                  ],
                  states: {
                    frames: {
                      initial: 'analyzing',
                      states: {
                        analyzing: {
                          // This frame's slot: the one it was due in, so frames after a slow
                          // answer go at once until the schedule is caught up; or now, when it
                          // is more than CATCH_UP_FRAMES behind (answers slower than a frame).
                          entry: assign(({ context }) => {
                            const now = performance.now();
                            const due = context.nextFrameAt;
                            const behind = due === null ? Infinity : now - due;
                            const slot =
                              behind < TIMEOUTS.frameIntervalMs * CATCH_UP_FRAMES ? due! : now;
                            return { nextFrameAt: slot + TIMEOUTS.frameIntervalMs };
                          }),
                          invoke: {
                            src: 'analyzeFrame',
                            input: captureRef,
                            onDone: {
                              target: 'resting',
                              actions: [
                                assign(({ context, event }) => {
                                  const { guidance } = event.output;
                                  if (guidance === null) return {};
                                  const key = guidance.messageKey;
                                  const settled =
                                    context.shownGuidanceKey === null ||
                                    key === context.shownGuidanceKey ||
                                    key === context.pendingGuidanceKey;
                                  return {
                                    guidance,
                                    shownGuidanceKey: settled ? key : context.shownGuidanceKey,
                                    pendingGuidanceKey: settled ? null : key,
                                  };
                                }),
                                raise(({ event }) => ({
                                  type:
                                    event.output.guidance?.verdict === 'ok'
                                      ? ('GUIDANCE_OK' as const)
                                      : ('GUIDANCE_NOT_OK' as const),
                                })),
                              ],
                            },
                            onError: [
                              {
                                guard: ({ event }) => isSessionProblem(event.error),
                                target: '#attract',
                                actions: 'noteStartAgain',
                              },
                              {
                                guard: ({ event }) => errorCodeOf(event.error) === 'unavailable',
                                target: '#unavailable',
                              },
                              // One lost frame is no reason to stop guiding: the next may work.
                              { target: 'resting', actions: 'waitAFullFrame' },
                            ],
                          },
                          after: {
                            analyzeTimeout: {
                              target: 'resting',
                              actions: 'waitAFullFrame',
                            },
                          },
                        },
                        resting: { after: { framePause: { target: 'analyzing' } } },
                      },
                    },
                    steadiness: {
                      initial: 'unsteady',
                      states: {
                        unsteady: { on: { GUIDANCE_OK: 'steady' } },
                        // Consecutive "ok" answers for autoCaptureSteadyMs: take the picture.
                        steady: {
                          on: { GUIDANCE_NOT_OK: 'unsteady' },
                          after: { autoCaptureDelay: { target: '#capturing' } },
                        },
                      },
                    },
                    manual: {
                      initial: 'hidden',
                      states: {
                        hidden: {
                          always: { guard: 'manualOffered', target: 'shown' },
                          after: { manualCaptureDelay: { target: 'shown' } },
                        },
                        shown: {
                          entry: assign({ manualOffered: true }),
                          on: { CAPTURE: { target: '#capturing' } },
                        },
                      },
                    },
                  },
                },
                capturing: {
                  id: 'capturing',
                  entry: assign({ rejectionKey: null }),
                  invoke: {
                    src: 'capturePicture',
                    input: captureRef,
                    onDone: [
                      {
                        guard: ({ event }) => event.output.picture !== null,
                        target: 'review',
                        actions: assign({ picture: ({ event }) => event.output.picture }),
                      },
                      {
                        target: 'framing',
                        actions: assign({
                          rejectionKey: ({ event }) => event.output.report.messageKey,
                        }),
                      },
                    ],
                    onError: [
                      {
                        guard: ({ event }) => isSessionProblem(event.error),
                        target: '#attract',
                        actions: 'noteStartAgain',
                      },
                      // Not the api's failure (the camera gave no picture): just try again.
                      {
                        guard: ({ event }) => errorCodeOf(event.error) === null,
                        target: 'framing',
                        actions: assign({ rejectionKey: 'capture.failed' }),
                      },
                      { target: '#unavailable' },
                    ],
                  },
                  after: { captureTimeout: { target: '#unavailable' } },
                },
                review: {
                  entry: ['markOtherScreen', 'restartIdle'],
                  // However the review ends, the picture leaves the renderer's memory.
                  exit: ['forgetPicture', 'clearPicture'],
                  on: {
                    RETAKE: { target: 'framing' },
                    CONTINUE: [
                      {
                        guard: 'hasNextRole',
                        target: 'framing',
                        actions: assign({
                          roleIndex: ({ context }) => context.roleIndex + 1,
                          manualOffered: false,
                          rejectionKey: null,
                        }),
                      },
                      { target: '#sending' },
                    ],
                  },
                },
              },
            },
          },
        },

        sending: {
          id: 'sending',
          initial: 'uploading',
          entry: [assign({ progress: null }), 'markOtherScreen', 'restartIdle'],
          invoke: [
            {
              src: 'verify',
              input: sessionRef,
              onDone: [
                { guard: ({ event }) => resultScreenOf(event.output) === null, target: '#attract' },
                {
                  guard: ({ event }) => resultScreenOf(event.output) === 'verified',
                  target: '#result.verified',
                  actions: assign({ outcome: ({ event }) => event.output }),
                },
                {
                  guard: ({ event }) => resultScreenOf(event.output) === 'notVerified',
                  target: '#result.notVerified',
                  actions: assign({ outcome: ({ event }) => event.output }),
                },
                {
                  guard: ({ event }) => resultScreenOf(event.output) === 'queued',
                  target: '#result.queued',
                  actions: assign({ outcome: ({ event }) => event.output }),
                },
                {
                  target: '#result.staff',
                  actions: assign({ outcome: ({ event }) => event.output }),
                },
              ],
              onError: [
                {
                  guard: ({ event }) => isSessionProblem(event.error),
                  target: '#attract',
                  actions: 'noteStartAgain',
                },
                { target: '#unavailable' },
              ],
            },
            { src: 'watchProgress', input: sessionRef },
          ],
          on: {
            PROGRESS: {
              actions: assign({
                progress: ({ event }) => ({ sent: event.sent, total: event.total }),
              }),
            },
            IDLE_TIMEOUT: { target: '#attract', actions: 'cancelVerification' },
          },
          after: { verifyTimeout: { target: '#unavailable', actions: 'cancelVerification' } },
          states: {
            uploading: { on: { CANCEL: 'cancelling' } },
            // The verification answers 'cancelled' (back to the start) or, if it finished
            // first, its real outcome, which the customer then sees.
            cancelling: {
              entry: 'cancelVerification',
              after: { cancelTimeout: { target: '#attract' } },
            },
          },
        },

        result: {
          id: 'result',
          initial: 'staff',
          entry: ['markResultScreen', 'restartIdle'],
          on: { DONE: { target: '#attract' } },
          states: {
            verified: {},
            staff: {},
            queued: {},
            notVerified: {
              on: {
                // The same session, new pictures.
                TRY_AGAIN: {
                  guard: 'retakeAllowed',
                  target: '#capture',
                  actions: assign({ roleIndex: 0, manualOffered: false, outcome: null }),
                },
              },
            },
          },
        },

        cameraProblem: {
          id: 'cameraProblem',
          entry: ['stopCamera', 'markOtherScreen', 'restartIdle'],
          on: {
            // Opens again, possibly another camera: the one plugged in now.
            TRY_AGAIN: { target: '#capture' },
            BACK: { target: '#attract' },
          },
        },

        unavailable: {
          id: 'unavailable',
          entry: ['stopCamera', 'markOtherScreen', 'restartIdle'],
          on: { BACK: [{ guard: 'hasConfig', target: '#attract' }, { target: '#booting' }] },
        },
      },
    },
  },
});

export type KioskMachine = typeof kioskMachine;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
