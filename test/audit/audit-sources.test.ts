/**
 * What feeds the trail in the kiosk: the queue's job changes and the customer sessions'
 * records, each mapped field by field; and createServices wiring it all (a real queue file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditJobChanges,
  auditSessionRecords,
  auditSink,
  type AuditedJobChange,
} from '../../main/audit/audit-sources.js';
import type { AuditError } from '../../main/audit/audit-error.js';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import { CONSENT_TEXT_VERSION, DEFAULT_KIOSK_SETTINGS } from '../../model/kiosk-settings.js';
import { CustomerSessions } from '../../main/session/customer-sessions.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { createServices } from '../../main/services.js';
import { livenessJob } from '../queue/queue-fixtures.js';
import { JOB, makeTrail, SESSION, type TrailFixture } from './audit-fixtures.js';

let fx: TrailFixture;

beforeEach(() => {
  fx = makeTrail();
});

afterEach(() => {
  fx.cleanup();
});

function typesAndDetails(): [string, Record<string, unknown>][] {
  return fx.trail.list({ limit: 1_000 }).map((entry) => [entry.type, entry.details]);
}

describe('auditJobChanges', () => {
  it('records queued (with ticket), each send, delivery with its verdict, and ends without one', () => {
    let emit: (change: AuditedJobChange) => void = () => undefined;
    const errors: unknown[] = [];
    const sink = auditSink(fx.trail, (error) => errors.push(error));
    const stop = auditJobChanges(
      (listener) => {
        emit = listener;
        return () => (emit = () => undefined);
      },
      sink,
      (id) => (id === JOB ? 'staff-review' : null),
    );
    const base = {
      id: JOB,
      ticket: 'K7M2QX',
      api: 'kairos-liveness-v0.2',
      attempts: 0,
      resends: 0,
      lastError: null,
    } as const;
    emit({ ...base, state: 'queued', lastError: { code: 'offline' } });
    emit({ ...base, state: 'sending', attempts: 1 });
    emit({ ...base, state: 'retry-wait', attempts: 1, lastError: { code: 'network' } });
    emit({ ...base, state: 'queued', attempts: 1 }); // due again: not a new entry in the queue
    emit({ ...base, state: 'sending', attempts: 2 });
    emit({ ...base, state: 'done', attempts: 2 });
    emit({
      ...base,
      id: 'job-2',
      ticket: 'ABC234',
      state: 'failed',
      lastError: { code: 'discarded' },
    });
    emit({ ...base, id: 'job-3', ticket: 'ABC235', state: 'expired', lastError: null });
    stop();
    emit({ ...base, state: 'sending', attempts: 3 });
    const job = { job: JOB, ticket: 'K7M2QX', api: 'kairos-liveness-v0.2' };
    expect(typesAndDetails()).toEqual([
      ['queued', { ...job, reason: 'offline' }],
      ['sent', { ...job, attempt: 1 }],
      ['sent', { ...job, attempt: 2 }],
      ['delivered', { ...job, attempts: 2 }],
      ['result', { ...job, verdict: 'staff-review' }],
      ['discarded', { job: 'job-2', ticket: 'ABC234', api: job.api, reason: 'discarded' }],
      ['discarded', { job: 'job-3', ticket: 'ABC235', api: job.api, reason: 'max-age' }],
    ]);
    expect(errors).toEqual([]);
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 7 });
  });
});

describe('auditSessionRecords', () => {
  it('records consent, session, pictures and an answer, with the fields it names and no others', () => {
    const sink = auditSink(fx.trail, (error) => {
      throw error;
    });
    const log = auditSessionRecords(sink, { consentVersion: () => '2026-12' });
    log.record('consent-declined', { kind: 'liveness', language: 'ru', name: 'Aigerim' });
    log.record('session-started', {
      session: SESSION,
      kind: 'liveness',
      api: 'kairos-liveness-v0.2',
      language: 'kk',
      consentVersion: '2026-12',
      training: true,
      customer: 'Aigerim Bekova',
    });
    log.record('session-captured', {
      session: SESSION,
      role: 'selfie',
      width: 1280,
      height: 720,
      bytes: 80_000,
      jpeg: 'base64...',
    });
    log.record('session-outcome', { session: SESSION, status: 'answered', verdict: 'verified' });
    log.record('session-ended', { session: SESSION, why: 'ended' });
    log.record('settings-unreadable', { message: 'not audited' });
    const session = { session: SESSION };
    expect(typesAndDetails()).toEqual([
      ['consent-declined', { consentVersion: '2026-12', kind: 'liveness', language: 'ru' }],
      [
        'consent-given',
        { ...session, consentVersion: '2026-12', kind: 'liveness', language: 'kk' },
      ],
      [
        'session-started',
        {
          ...session,
          kind: 'liveness',
          api: 'kairos-liveness-v0.2',
          language: 'kk',
          training: true,
        },
      ],
      ['captured', { ...session, role: 'selfie', width: 1280, height: 720, bytes: 80_000 }],
      ['sent', { ...session, api: 'kairos-liveness-v0.2' }],
      ['result', { ...session, api: 'kairos-liveness-v0.2', verdict: 'verified' }],
    ]);
  });

  it('hands a refused or failed write to onError and never throws', () => {
    const errors: unknown[] = [];
    const log = auditSessionRecords(
      auditSink(fx.trail, (error) => errors.push(error)),
      { consentVersion: () => '2026-12' },
    );
    log.record('session-captured', {
      session: 'has a space',
      role: 'selfie',
      width: 1,
      height: 1,
      bytes: 1,
    });
    fx.trail.close();
    log.record('consent-declined', { kind: 'liveness', language: 'en' });
    expect(errors.map((error) => (error as AuditError).code)).toEqual([
      'invalid-details',
      'closed',
    ]);
  });
});

describe('a real CustomerSessions', () => {
  it("records the customer's way through its SessionLog, with no picture in it", async () => {
    const jpeg = Buffer.from('not really a jpeg, but never to be seen in the trail');
    const sessions = new CustomerSessions({
      capture: {
        analyzeFrame: () => Promise.reject(new Error('not used')),
        captureFrame: () =>
          Promise.resolve({
            bytes: Buffer.from(jpeg),
            fileName: 'selfie.jpg',
            contentType: 'image/jpeg',
            width: 1280,
            height: 720,
            byteSize: jpeg.length,
            quality: { verdict: 'ok', mainFace: null },
          } as never),
        resetSteadiness: () => undefined,
      },
      verification: {
        verify: () =>
          Promise.resolve({
            status: 'answered-now',
            jobId: 'job-now',
            result: {} as never,
            verdict: 'not-verified',
          }),
      },
      settings: () => DEFAULT_KIOSK_SETTINGS,
      training: () => false,
      log: auditSessionRecords(
        auditSink(fx.trail, (error) => {
          throw error;
        }),
        { consentVersion: () => CONSENT_TEXT_VERSION },
      ),
      emit: () => undefined,
    });
    sessions.decline('liveness', 'en');
    const started = sessions.start('liveness', 'ru', CONSENT_TEXT_VERSION);
    await sessions.capture(started.sessionId, 'selfie', {
      kind: 'jpeg',
      bytes: new Uint8Array(jpeg),
    } as never);
    await sessions.verify(started.sessionId);
    sessions.end(started.sessionId);
    expect(fx.trail.list({ limit: 100 }).map((entry) => entry.type)).toEqual([
      'consent-declined',
      'consent-given',
      'session-started',
      'captured',
      'sent',
      'result',
    ]);
    expect(fx.trail.list({ afterSeq: 5 })[0]!.details).toEqual({
      session: started.sessionId,
      api: DEFAULT_KIOSK_SETTINGS.apis.liveness,
      verdict: 'not-verified',
    });
    expect(fx.trail.verify()).toMatchObject({ ok: true, entries: 6 });
    const file = readFileSync(`${fx.trail.file}`);
    expect(file.includes(jpeg)).toBe(false);
  });
});

describe('createServices', () => {
  it('records the app starting and stopping and the queue, in audit.sqlite beside the queue', async () => {
    const dataDir = join(fx.dir, 'Kiosk Verify');
    const services = await createServices({
      dataDir,
      secrets: new MemorySecretStore(),
      connectivity: new ManualConnectivity(false),
      appVersion: '0.1.0',
      training: true,
    });
    const job = services.store.enqueue(livenessJob());
    services.store.discard(job.id);
    services.recordAudit('settings-changed', {
      key: 'idle.resultSeconds',
      oldValue: 30,
      newValue: 45,
    });
    services.recordAudit('staff-signed-in', { staff: 'has a space' } as never); // refused, logged
    await services.close();

    const trail = AuditTrail.open(dataDir, { mustExist: true });
    try {
      const entries = trail.list({ limit: 100 });
      expect(entries.map((entry) => entry.type)).toEqual([
        'app-started',
        'queued',
        'discarded',
        'settings-changed',
        'app-stopped',
      ]);
      expect(entries[0]!.details).toEqual({ version: '0.1.0', training: true });
      expect(entries[1]!.details).toMatchObject({ job: job.id, ticket: job.ticket });
      expect(entries[2]!.details).toMatchObject({ job: job.id, reason: 'discarded' });
      expect(trail.verify()).toMatchObject({ ok: true, entries: 5 });
    } finally {
      trail.close();
    }
    const logText = readFileSync(join(dataDir, 'logs', 'kiosk-verify.log'), 'utf8');
    expect(logText).toContain('"event":"audit-write-failed"');
    expect(logText).toContain('"type":"staff-signed-in"');
  });
});
