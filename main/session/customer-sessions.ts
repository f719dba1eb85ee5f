/**
 * The customer in front of the kiosk, from the consent to the outcome: which pictures the
 * session takes, the pictures taken (in main-process memory only, until they are sent, queued
 * or dropped), live guidance, the verification and its cancel. One session at a time: a kiosk
 * has one customer. Ending a session (or starting the next, or leaving one idle) drops its
 * pictures at once; later frames for it are refused.
 */
import { randomUUID } from 'node:crypto';
import { VENDOR_DISPLAY_NAME, VENDOR_OF_API, type ApiId } from '../../model/apis.js';
import { guidanceKey, type CaptureRole } from '../../model/guidance.js';
import type { KioskSettings, Language, SessionKind } from '../../model/kiosk-settings.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import type { VerificationRequest } from '../../model/request.js';
import type { Verdict } from '../../model/result-model.js';
import { isCaptureError } from '../capture/capture-error.js';
import type { CaptureService } from '../capture/capture-service.js';
import { qualitySummary, type QualitySummary } from '../capture/quality-summary.js';
import type {
  FrameAnalysis,
  JpegFrame,
  PreparedCapture,
  QualityReport,
  RgbaFrame,
} from '../capture/types.js';
import { SessionError } from './session-error.js';
import type { VerificationSession } from './verification-session.js';

/** The pictures each kind of session takes, in the order the customer is asked for them. */
export const ROLES_OF_KIND: Record<SessionKind, readonly CaptureRole[]> = {
  liveness: ['selfie'],
  // The ID first: the customer holds it up while still standing back, then steps in.
  'liveness-and-match': ['id-photo', 'selfie'],
};

/**
 * A session nobody has touched for 10 minutes is ended: the renderer crashed or was reloaded
 * mid-way, and a customer's pictures must not stay in memory until the next one comes.
 */
const ABANDONED_AFTER_MS = 10 * 60_000;

export type SessionStateName =
  'capturing' | 'sending' | 'answered' | 'queued' | 'not-sent' | 'cancelled' | 'ended';

export type CustomerSessionEvent =
  | { type: 'session-progress'; sessionId: string; sent: number; total: number }
  | { type: 'session-state'; sessionId: string; state: SessionStateName };

export interface StartedSession {
  sessionId: string;
  kind: SessionKind;
  roles: CaptureRole[];
  vendorName: string;
  training: boolean;
}

export interface FrameGuidance {
  verdict: FrameAnalysis['verdict'];
  messageKey: string;
  faceBox: { x: number; y: number; width: number; height: number } | null;
  faces: number;
  steadyFrames: number;
  frameWidth: number;
  frameHeight: number;
}

export interface CaptureReport {
  role: CaptureRole;
  accepted: boolean;
  verdict: FrameAnalysis['verdict'];
  messageKey: string;
  width: number;
  height: number;
  byteSize: number;
  quality: QualitySummary;
}

export type SessionOutcome =
  | { status: 'answered'; verdict: Verdict; training: boolean }
  | { status: 'queued'; ticket: string; training: boolean }
  | { status: 'not-sent'; reason: 'image-rejected'; retake: boolean }
  | { status: 'cancelled' };

/** What the sessions need of the log: one line per step, never a picture or a secret. */
export interface SessionLog {
  record(event: string, fields?: Record<string, unknown>): void;
}

export interface CustomerSessionsOptions {
  capture: Pick<CaptureService, 'analyzeFrame' | 'captureFrame' | 'resetSteadiness'>;
  verification: Pick<VerificationSession, 'verify'>;
  settings: () => KioskSettings;
  training: () => boolean;
  log: SessionLog;
  emit: (event: CustomerSessionEvent) => void;
  abandonedAfterMs?: number;
}

interface Session {
  id: string;
  kind: SessionKind;
  api: ApiId;
  roles: readonly CaptureRole[];
  consent: { acceptedAt: string; textVersion: string };
  training: boolean;
  pictures: Map<CaptureRole, PreparedCapture>;
  sending: AbortController | null;
  idleTimer: NodeJS.Timeout | null;
}

export class CustomerSessions {
  readonly #options: CustomerSessionsOptions;
  #session: Session | null = null;

  constructor(options: CustomerSessionsOptions) {
    this.#options = options;
  }

  /** The customer declined the consent: only that is logged; nothing was taken. */
  decline(kind: SessionKind, language: Language): void {
    this.#options.log.record('consent-declined', { kind, language });
  }

  /** The customer agreed: a new session (any previous one is ended first). */
  start(kind: SessionKind, language: Language, consentVersion: string): StartedSession {
    if (this.#session !== null) this.end(this.#session.id, 'replaced');
    const settings = this.#options.settings();
    const api = settings.apis[kind];
    const session: Session = {
      id: randomUUID(),
      kind,
      api,
      roles: ROLES_OF_KIND[kind],
      consent: { acceptedAt: new Date().toISOString(), textVersion: consentVersion },
      training: this.#options.training(),
      pictures: new Map(),
      sending: null,
      idleTimer: null,
    };
    this.#session = session;
    this.#options.capture.resetSteadiness();
    this.#touch(session);
    this.#options.log.record('session-started', {
      session: session.id,
      kind,
      api,
      language,
      consentVersion,
      training: session.training,
    });
    this.#emitState(session, 'capturing');
    return {
      sessionId: session.id,
      kind,
      roles: [...session.roles],
      vendorName: VENDOR_DISPLAY_NAME[VENDOR_OF_API[api]],
      training: session.training,
    };
  }

  /** Live guidance for one small frame of the session's current picture. */
  async analyzeFrame(
    sessionId: string,
    role: CaptureRole,
    frame: RgbaFrame,
  ): Promise<FrameGuidance> {
    const session = this.#require(sessionId, role);
    const analysis = await this.#options.capture.analyzeFrame(frame, role);
    this.#touch(session);
    const box = analysis.mainFace?.box ?? null;
    return {
      verdict: analysis.verdict,
      messageKey: guidanceKey(role, analysis.verdict),
      faceBox: box && { x: box.x, y: box.y, width: box.width, height: box.height },
      faces: analysis.countedFaces,
      steadyFrames: analysis.steadyFrames,
      frameWidth: analysis.width,
      frameHeight: analysis.height,
    };
  }

  /**
   * The full-resolution frame for one picture: the vendor's JPEG is kept for the verification
   * (a retake replaces it). A frame that fails a gate is answered `accepted: false` with the
   * gate's verdict, so the customer is guided again; anything else wrong with it is an error.
   */
  async capture(
    sessionId: string,
    role: CaptureRole,
    frame: RgbaFrame | JpegFrame,
  ): Promise<CaptureReport> {
    const session = this.#require(sessionId, role);
    if (session.sending !== null) throw busy();
    let prepared: PreparedCapture;
    try {
      prepared = await this.#options.capture.captureFrame(
        frame,
        VENDOR_PROFILES[session.api],
        role,
      );
    } catch (error) {
      if (isCaptureError(error) && error.report !== undefined) {
        return refusedReport(role, error.report);
      }
      throw error;
    }
    // The session may have ended while the picture was prepared: drop it, do not keep it.
    if (this.#session !== session) {
      prepared.bytes.fill(0);
      throw noSession();
    }
    session.pictures.get(role)?.bytes.fill(0);
    session.pictures.set(role, prepared);
    this.#touch(session);
    this.#options.log.record('session-captured', {
      session: session.id,
      role,
      width: prepared.width,
      height: prepared.height,
      bytes: prepared.byteSize,
    });
    return {
      role,
      accepted: true,
      verdict: prepared.quality.verdict,
      messageKey: guidanceKey(role, prepared.quality.verdict),
      width: prepared.width,
      height: prepared.height,
      byteSize: prepared.byteSize,
      quality: qualitySummary(prepared.quality),
    };
  }

  /** Sends the session's pictures now, or queues them; upload progress goes out as events. */
  async verify(sessionId: string): Promise<SessionOutcome> {
    const session = this.#require(sessionId);
    if (session.sending !== null) throw busy();
    const request = this.#request(session);
    const controller = new AbortController();
    session.sending = controller;
    this.#stopIdleTimer(session);
    this.#emitState(session, 'sending');
    try {
      const outcome = await this.#options.verification.verify(
        {
          request,
          consent: session.consent,
          // The pictures' measures (numbers only) go with the job, for staff.
          quality: Object.fromEntries(
            [...session.pictures].map(([role, picture]) => [
              role,
              { ...qualitySummary(picture.quality) },
            ]),
          ),
        },
        {
          signal: controller.signal,
          onUploadProgress: (sent, total) =>
            this.#options.emit({ type: 'session-progress', sessionId, sent, total }),
        },
      );
      const mapped = this.#outcome(session, outcome);
      this.#options.log.record('session-outcome', {
        session: session.id,
        status: mapped.status,
        ...(mapped.status === 'answered' ? { verdict: mapped.verdict } : {}),
        ...(mapped.status === 'queued' ? { ticket: mapped.ticket } : {}),
      });
      return mapped;
    } finally {
      session.sending = null;
      if (this.#session === session) this.#touch(session);
    }
  }

  /** The customer pressed Cancel while sending: the send stops and nothing is queued. */
  cancel(sessionId: string): void {
    const session = this.#session;
    if (session?.id === sessionId) session.sending?.abort();
  }

  /** Drops every picture of the session at once; later frames for it are refused. Idempotent. */
  end(sessionId: string, why: 'ended' | 'replaced' | 'abandoned' = 'ended'): void {
    const session = this.#session;
    if (session === null || session.id !== sessionId) return;
    this.#session = null;
    session.sending?.abort();
    this.#stopIdleTimer(session);
    for (const picture of session.pictures.values()) picture.bytes.fill(0);
    session.pictures.clear();
    this.#options.capture.resetSteadiness();
    this.#options.log.record('session-ended', { session: session.id, why });
    this.#emitState(session, 'ended');
  }

  /** Pictures held in memory now (0 once the session has ended): for tests and the benchmark. */
  get picturesHeld(): number {
    return this.#session?.pictures.size ?? 0;
  }

  /** Ends the current session, e.g. when the app quits. */
  close(): void {
    if (this.#session !== null) this.end(this.#session.id);
  }

  #outcome(
    session: Session,
    outcome: Awaited<ReturnType<VerificationSession['verify']>>,
  ): SessionOutcome {
    const finished = (state: SessionStateName): void => {
      // Sent or safely queued (encrypted): the copies in memory go now.
      for (const picture of session.pictures.values()) picture.bytes.fill(0);
      session.pictures.clear();
      this.#emitState(session, state);
    };
    switch (outcome.status) {
      case 'answered-now':
        finished('answered');
        return { status: 'answered', verdict: outcome.verdict, training: session.training };
      case 'queued':
        finished('queued');
        return { status: 'queued', ticket: outcome.ticket, training: session.training };
      case 'not-sent':
        // The vendor refused the pictures themselves: new ones can fix it, in this session.
        for (const picture of session.pictures.values()) picture.bytes.fill(0);
        session.pictures.clear();
        this.#emitState(session, 'not-sent');
        return { status: 'not-sent', reason: 'image-rejected', retake: true };
      case 'cancelled':
        this.#emitState(session, 'cancelled');
        return { status: 'cancelled' };
    }
  }

  #request(session: Session): VerificationRequest {
    const picture = (role: CaptureRole): PreparedCapture => {
      const prepared = session.pictures.get(role);
      if (prepared === undefined) {
        throw new SessionError('missing-picture', `The ${role} has not been taken yet.`);
      }
      return prepared;
    };
    const threshold = this.#options.settings().livenessThreshold;
    const image = (prepared: PreparedCapture) => ({
      bytes: prepared.bytes,
      fileName: prepared.fileName,
      contentType: prepared.contentType,
    });
    if (session.api === 'kairos-biometric-v0.1') {
      return {
        kind: 'match',
        api: session.api,
        selfie: image(picture('selfie')),
        image: image(picture('id-photo')),
        multiface: false,
        threshold,
      };
    }
    return { kind: 'liveness', api: session.api, selfie: image(picture('selfie')), threshold };
  }

  #require(sessionId: string, role?: CaptureRole): Session {
    const session = this.#session;
    if (session === null || session.id !== sessionId) throw noSession();
    if (role !== undefined && !session.roles.includes(role)) {
      throw new SessionError('wrong-role', `This session does not take a ${role} picture.`);
    }
    return session;
  }

  #touch(session: Session): void {
    this.#stopIdleTimer(session);
    session.idleTimer = setTimeout(
      () => this.end(session.id, 'abandoned'),
      this.#options.abandonedAfterMs ?? ABANDONED_AFTER_MS,
    );
    session.idleTimer.unref();
  }

  #stopIdleTimer(session: Session): void {
    if (session.idleTimer !== null) clearTimeout(session.idleTimer);
    session.idleTimer = null;
  }

  #emitState(session: Session, state: SessionStateName): void {
    this.#options.emit({ type: 'session-state', sessionId: session.id, state });
  }
}

function refusedReport(role: CaptureRole, report: QualityReport): CaptureReport {
  return {
    role,
    accepted: false,
    verdict: report.verdict,
    messageKey: guidanceKey(role, report.verdict),
    width: report.width,
    height: report.height,
    byteSize: 0,
    quality: qualitySummary(report),
  };
}

function noSession(): SessionError {
  return new SessionError(
    'no-session',
    'This customer session has ended; start again from the attract screen.',
  );
}

function busy(): SessionError {
  return new SessionError('busy', 'The verification is being sent; wait for it or cancel it.');
}
