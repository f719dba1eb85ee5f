/**
 * What feeds the trail from the running kiosk: the queue's job changes and the customer
 * sessions' records, each mapped to an entry with its fields chosen one by one (a payload is
 * never spread: a field added to it later must not reach the trail unseen). The shapes they
 * need are written here, so this room imports neither the queue nor the sessions; the
 * composition root (main/services.ts) connects them.
 */
import type { ApiId } from '../../model/apis.js';
import type { JobErrorCode, JobState } from '../../model/jobs.js';
import type { Verdict } from '../../model/result-model.js';
import type { AuditTrail } from './audit-trail.js';
import type { AuditDetails, AuditType } from './audit-types.js';

/** Appends an entry; never throws (a failed write goes to the sink's onError). */
export type AuditSink = <T extends AuditType>(type: T, details: AuditDetails<T>) => void;

/**
 * The sink the kiosk's services use: an audit write that fails (a full disk, a refused field)
 * must not stop a customer's verification or the delivery loop; it is reported to `onError`
 * (the event log) instead.
 */
export function auditSink(
  trail: Pick<AuditTrail, 'append'>,
  onError: (error: unknown, type: AuditType) => void,
): AuditSink {
  return (type, details) => {
    try {
      trail.append(type, details);
    } catch (error) {
      onError(error, type);
    }
  };
}

/** The fields of the queue's `job-changed` event (main/queue/queue-events.ts) read here. */
export interface AuditedJobChange {
  id: string;
  ticket: string;
  api: ApiId;
  state: JobState;
  attempts: number;
  resends: number;
  lastError: { code: JobErrorCode } | null;
}

/**
 * Records queued jobs (with their ticket), each send attempt, deliveries (and the verdict,
 * read with `verdictOf`), and jobs that ended without an answer (discarded by staff, failed,
 * expired). Returns the function that stops it.
 */
export function auditJobChanges(
  subscribe: (listener: (change: AuditedJobChange) => void) => () => void,
  sink: AuditSink,
  verdictOf: (jobId: string) => Verdict | null,
): () => void {
  return subscribe((change) => {
    const job = { job: change.id, ticket: change.ticket, api: change.api };
    switch (change.state) {
      case 'queued':
        // Entering the queue, not a retry coming due again (those have attempts behind them).
        if (change.attempts === 0 && change.resends === 0) {
          sink('queued', {
            ...job,
            ...(change.lastError ? { reason: change.lastError.code } : {}),
          });
        }
        return;
      case 'sending':
        sink('sent', { ...job, attempt: change.attempts });
        return;
      case 'done': {
        sink('delivered', { ...job, attempts: change.attempts });
        const verdict = verdictOf(change.id);
        if (verdict !== null) sink('result', { ...job, verdict });
        return;
      }
      case 'failed':
      case 'expired':
        sink('discarded', {
          ...job,
          reason: change.lastError?.code ?? (change.state === 'expired' ? 'max-age' : 'unexpected'),
        });
        return;
      case 'retry-wait':
        return;
    }
  });
}

/** What the customer sessions log (main/session/customer-sessions.ts `SessionLog`). */
export interface SessionRecords {
  record(event: string, fields?: Record<string, unknown>): void;
}

/**
 * A SessionLog that records the customer sessions' steps in the trail: the consent given or
 * declined (with the consent text's version), the session, each picture taken (its size), and
 * a verification answered at once (sent, and its verdict). A verification that was queued is
 * recorded by auditJobChanges, with its ticket. `consentVersion` is the version of the text
 * the kiosk shows (a decline carries none of its own).
 */
export function auditSessionRecords(
  sink: AuditSink,
  options: { consentVersion: () => string },
): SessionRecords {
  /** The API of each live session (one at a time; a few kept in case of overlap). */
  const apis = new Map<string, ApiId>();
  return {
    record(event, fields = {}) {
      const session = fields.session as string;
      switch (event) {
        case 'consent-declined':
          sink('consent-declined', {
            consentVersion: options.consentVersion(),
            kind: fields.kind as AuditDetails<'consent-declined'>['kind'],
            language: fields.language as AuditDetails<'consent-declined'>['language'],
          });
          return;
        case 'session-started': {
          const api = fields.api as ApiId;
          apis.set(session, api);
          if (apis.size > 8) apis.delete(apis.keys().next().value!);
          const kind = fields.kind as AuditDetails<'session-started'>['kind'];
          const language = fields.language as AuditDetails<'session-started'>['language'];
          sink('consent-given', {
            session,
            consentVersion: fields.consentVersion as string,
            kind,
            language,
          });
          sink('session-started', {
            session,
            kind,
            api,
            language,
            training: fields.training as boolean,
          });
          return;
        }
        case 'session-captured':
          sink('captured', {
            session,
            role: fields.role as AuditDetails<'captured'>['role'],
            width: fields.width as number,
            height: fields.height as number,
            bytes: fields.bytes as number,
          });
          return;
        case 'session-outcome': {
          const api = apis.get(session);
          if (api === undefined) return;
          if (fields.status === 'answered') {
            sink('sent', { session, api });
            sink('result', {
              session,
              api,
              verdict: fields.verdict as AuditDetails<'result'>['verdict'],
            });
          } else if (fields.status === 'not-sent') {
            // The vendor received the pictures and refused them.
            sink('sent', { session, api });
          }
          return;
        }
        case 'session-ended':
          apis.delete(session);
          return;
      }
    },
  };
}

/** Both logs at once: the event log for IT, the trail for compliance. */
export function teeSessionRecords(...logs: SessionRecords[]): SessionRecords {
  return {
    record(event, fields) {
      for (const log of logs) log.record(event, fields);
    },
  };
}
