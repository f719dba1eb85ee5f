/**
 * Every SQL statement the job store runs, prepared once. Each is small and indexed: the
 * database is synchronous, so a slow statement would freeze the kiosk's main process.
 */
import type { Database } from 'better-sqlite3';
import { PENDING_STATES, TERMINAL_STATES } from '../job.js';
import { JOB_COLUMNS } from './job-rows.js';

/** A list of states as SQL: ('a', 'b'). They are our own constants, never input. */
function sqlList(states: readonly string[]): string {
  return `(${states.map((state) => `'${state}'`).join(', ')})`;
}

const PENDING = sqlList(PENDING_STATES);
const TERMINAL = sqlList(TERMINAL_STATES);
const NO_LEASE = 'lease_owner = NULL, lease_pid = NULL, lease_host = NULL, lease_until = NULL';

export function prepareJobStatements(db: Database) {
  return {
    insertJob: db.prepare(`
      INSERT INTO jobs (id, ticket, api, vendor, options, staff_ref, consent_at,
        consent_text_version, created_at, updated_at, state, attempts, resends,
        last_error_code, last_error_message, observed_at, training, quality)
      VALUES (@id, @ticket, @api, @vendor, @options, @staffRef, @consentAt,
        @consentTextVersion, @now, @now, 'queued', @attempts, @resends,
        @lastErrorCode, @lastErrorMessage, @observedAt, @training, @quality)`),
    insertImage: db.prepare(`
      INSERT INTO job_images (job_id, role, content_type, file_name, key_id, nonce, tag, ciphertext)
      VALUES (@job_id, @role, @content_type, @file_name, @key_id, @nonce, @tag, @ciphertext)`),
    selectJob: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`),
    selectJobByTicket: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE ticket = ?`),
    selectJobs: db.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    ),
    // The staff console's two lists, a page at a time, optionally by the start of a ticket.
    pagePending: db.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE state IN ${PENDING} AND ticket LIKE @prefix
       ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
    ),
    countPending: db.prepare(
      `SELECT COUNT(*) AS n FROM jobs WHERE state IN ${PENDING} AND ticket LIKE @prefix`,
    ),
    pageTerminal: db.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE state IN ${TERMINAL} AND ticket LIKE @prefix
       ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
    ),
    countTerminal: db.prepare(
      `SELECT COUNT(*) AS n FROM jobs WHERE state IN ${TERMINAL} AND ticket LIKE @prefix`,
    ),
    selectImages: db.prepare(`
      SELECT role, content_type, file_name, key_id, nonce, tag, ciphertext
      FROM job_images WHERE job_id = ?`),
    // Which data keys the stored images need (images exist only for jobs still to deliver).
    selectSealingKeys: db.prepare(`SELECT DISTINCT key_id FROM job_images`),
    countJobsWithImages: db.prepare(`SELECT COUNT(DISTINCT job_id) AS n FROM job_images`),
    countByState: db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`),
    countPendingOfVendor: db.prepare(
      `SELECT COUNT(*) AS n FROM jobs WHERE vendor = ? AND training = ? AND state IN ${PENDING}`,
    ),

    // One statement: the sub-select and the update run under the write lock together, so two
    // drainers can never both turn the same job into 'sending'. A 'sending' job whose lease ran
    // out (its drainer died or hung) is taken over and counted as a resend: the first send may
    // have reached the vendor. Age is on the observed clock (queue-clock.ts). A retry or lease
    // further ahead than @horizon (the longest backoff or lease from now) was written under a
    // wall clock that has since gone back, by a jump no tick caught: it counts as run out, so
    // nothing waits longer than that however the clock moved.
    claimNext: db.prepare(`
      UPDATE jobs SET
        resends = resends + (state = 'sending'),
        state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, updated_at = @now,
        lease_owner = @owner, lease_pid = @pid, lease_host = @host, lease_until = @leaseUntil
      WHERE id = (
        SELECT id FROM jobs
        WHERE vendor = @vendor AND training = @training AND state IN ${PENDING}
          AND observed_at > @oldestAllowed
          AND (state = 'queued'
            OR (state = 'retry-wait' AND (next_attempt_at <= @now OR next_attempt_at > @horizon))
            OR (state = 'sending' AND (lease_until <= @now OR lease_until > @horizon)))
        ORDER BY observed_at, rowid LIMIT 1)
      RETURNING id`),
    renewLease: db.prepare(`
      UPDATE jobs SET lease_until = @leaseUntil
      WHERE id = @id AND state = 'sending' AND lease_owner = @owner`),

    // Exactly once: only a job not yet finished takes a result; a second answer finds it done.
    storeResult: db.prepare(`
      UPDATE jobs SET state = 'done', result = @result, finished_at = @now, updated_at = @now,
        next_attempt_at = NULL, last_error_code = NULL, last_error_message = NULL, ${NO_LEASE}
      WHERE id = @id AND state IN ${PENDING}`),
    scheduleRetry: db.prepare(`
      UPDATE jobs SET state = 'retry-wait', next_attempt_at = @at, updated_at = @now,
        last_error_code = @code, last_error_message = @message, resends = resends + @resend,
        ${NO_LEASE}
      WHERE id = @id AND state = 'sending' AND lease_owner = @owner`),
    // Back to 'queued' without counting the attempt: the vendor was paused, not the job at fault.
    releaseClaim: db.prepare(`
      UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), updated_at = @now,
        last_error_code = @code, last_error_message = @message, resends = resends + @resend,
        ${NO_LEASE}
      WHERE id = @id AND state = 'sending' AND lease_owner = @owner`),
    finish: db.prepare(`
      UPDATE jobs SET state = @state, finished_at = @now, updated_at = @now,
        next_attempt_at = NULL, last_error_code = @code, last_error_message = @message, ${NO_LEASE}
      WHERE id = @id AND state IN ${PENDING}`),
    failUnreadable: db.prepare(`
      UPDATE jobs SET state = 'failed', result = NULL, finished_at = COALESCE(finished_at, @now),
        updated_at = @now, next_attempt_at = NULL, last_error_code = 'unreadable-record',
        last_error_message = @message, ${NO_LEASE}
      WHERE id = @id`),
    deleteImagesOfJob: db.prepare(`DELETE FROM job_images WHERE job_id = ?`),
    deleteImagesOfFinishedJobs: db.prepare(`
      DELETE FROM job_images WHERE job_id IN (SELECT id FROM jobs WHERE state IN ${TERMINAL})`),

    selectSending: db.prepare(`
      SELECT id, lease_owner, lease_pid, lease_host, lease_until FROM jobs WHERE state = 'sending'`),
    requeueInterrupted: db.prepare(`
      UPDATE jobs SET state = 'queued', resends = resends + 1, updated_at = @now, ${NO_LEASE}
      WHERE id = @id AND state = 'sending' AND lease_owner IS @owner`),
    expireOverdue: db.prepare(`
      UPDATE jobs SET state = 'expired', finished_at = @now, updated_at = @now,
        next_attempt_at = NULL, last_error_code = 'max-age', last_error_message = @message, ${NO_LEASE}
      WHERE state IN ${PENDING} AND observed_at <= @oldestAllowed
        AND (state <> 'sending' OR lease_until <= @now)
      RETURNING id`),
    purgeFinished: db.prepare(`
      DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at <= @cutoff
        AND state IN ${TERMINAL}`),
    makeNetworkRetriesDue: db.prepare(`
      UPDATE jobs SET next_attempt_at = @now, updated_at = @now
      WHERE state = 'retry-wait' AND last_error_code IN ('network', 'outcome-unknown')
        AND next_attempt_at > @now
      RETURNING id`),
    makeDueNow: db.prepare(`
      UPDATE jobs SET state = 'queued', next_attempt_at = NULL, updated_at = @now
      WHERE id = @id AND state IN ('queued', 'retry-wait')`),
    // When this vendor next has work: a retry falling due, or another drainer's lease running
    // out. Queued jobs are due at once and would have been claimed already.
    nextWakeOfVendor: db.prepare(`
      SELECT MIN(CASE
        WHEN state = 'retry-wait' THEN next_attempt_at
        WHEN state = 'sending' AND lease_owner IS NOT @owner THEN lease_until END) AS at
      FROM jobs WHERE vendor = @vendor AND training = @training AND state IN ${PENDING}`),

    // The queue's time (queue-clock.ts): its one anchor row, and what a tick changes.
    selectClock: db.prepare(
      `SELECT wall_ms, mono_ms, boot_id, observed_ms FROM queue_clock WHERE id = 1`,
    ),
    saveClock: db.prepare(`
      INSERT INTO queue_clock (id, wall_ms, mono_ms, boot_id, observed_ms)
      VALUES (1, @wall, @mono, @boot, @observed)
      ON CONFLICT (id) DO UPDATE SET wall_ms = excluded.wall_ms, mono_ms = excluded.mono_ms,
        boot_id = excluded.boot_id, observed_ms = excluded.observed_ms`),
    // The first tick of a queue from schema 1: its jobs' ages so far, from the wall clock.
    startObservedAges: db.prepare(
      `UPDATE jobs SET observed_at = @observed - MAX(0, @now - created_at)`,
    ),
    selectObservedAt: db.prepare(`SELECT observed_at FROM jobs WHERE id = ?`),
    // A jump: times written under the old wall clock keep the real delay they meant.
    rebaseRetries: db.prepare(`
      UPDATE jobs SET next_attempt_at = next_attempt_at + @jump
      WHERE state = 'retry-wait' AND next_attempt_at IS NOT NULL
      RETURNING id`),
    rebaseLeases: db.prepare(`
      UPDATE jobs SET lease_until = lease_until + @jump
      WHERE state = 'sending' AND lease_until IS NOT NULL`),
  };
}

export type JobStatements = ReturnType<typeof prepareJobStatements>;
