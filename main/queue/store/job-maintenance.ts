/**
 * Housekeeping that keeps the queue honest over time: recovering sends interrupted by a crash,
 * expiring jobs past their maximum age, purging results past retention.
 */
import { hostname } from 'node:os';
import { HOUR } from '../../clock/clock.js';
import type { JobTable } from './job-table.js';

interface SendingRow {
  id: string;
  lease_owner: string | null;
  lease_pid: number | null;
  lease_host: string | null;
  lease_until: number | null;
}

/**
 * Jobs left 'sending' by a drainer that is gone (its process no longer exists on this host, or
 * its lease ran out) go back to 'queued', counted as resends: the lost send may have arrived.
 */
export function recoverInterrupted(table: JobTable, isAlive: (pid: number) => boolean): number {
  const { now } = table.tick();
  const here = hostname();
  let recovered = 0;
  for (const row of table.sql.selectSending.all() as SendingRow[]) {
    const leaseOver = row.lease_until === null || row.lease_until <= now;
    const ownerGone =
      row.lease_host === here && (row.lease_pid === null || !isAlive(row.lease_pid));
    if (!leaseOver && !ownerGone) continue;
    if (
      table.sql.requeueInterrupted.run({ id: row.id, owner: row.lease_owner, now }).changes === 1
    ) {
      recovered += 1;
      table.changed(row.id);
    }
  }
  return recovered;
}

export interface SweepOutcome {
  expired: number;
  purged: number;
}

/**
 * Expires jobs older than maxAgeMs (deleting their images) and purges finished jobs past
 * retention. Age is time the kiosk observed (queue-clock.ts): a wall clock set days ahead
 * expires nothing. Retention still goes by the wall clock: finished_at is shown to staff, and
 * purging a result early or late loses no verification.
 */
export function sweep(table: JobTable, maxAgeMs: number, retentionMs: number): SweepOutcome {
  const { now, observed } = table.tick();
  const message =
    `Not delivered within ${Math.round(maxAgeMs / HOUR)} h (the queue's maximum age); ` +
    'verify the customer again.';
  const expired = table.write(() => {
    const ids = table.sql.expireOverdue.all({
      now,
      oldestAllowed: observed - maxAgeMs,
      message,
    }) as { id: string }[];
    // Also catches images of any job that ended without them being deleted.
    table.sql.deleteImagesOfFinishedJobs.run();
    return ids;
  });
  const purged = table.sql.purgeFinished.run({ cutoff: now - retentionMs }).changes;
  table.reclaimSpace();
  for (const { id } of expired) table.changed(id);
  if (purged > 0) table.totalsChanged();
  return { expired: expired.length, purged };
}
