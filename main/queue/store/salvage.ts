/**
 * `kiosk-verify queue recover FILE`: brings every job that can still be read from a damaged
 * queue file (one moved aside at open) into the live queue. The damaged file is only read, from
 * a private copy, and kept. Images are copied sealed, as they are: they are bound to their job
 * id and role, not to a file, so they decrypt in the live queue under the same data key.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { JobTable } from './job-table.js';
import { QueueError } from '../queue-errors.js';
import { newTicket } from './ticket.js';

export interface SalvageReport {
  /** The damaged file read. */
  from: string;
  /** Jobs brought into the live queue (still to deliver, or finished with their result). */
  recovered: number;
  /** Jobs the live queue already had (a second recover of the same file). */
  alreadyPresent: number;
  /** Rows that could not be read at all. */
  unreadable: number;
  /** Jobs still to deliver whose images were unreadable: recovered as failed, to verify again. */
  imagesLost: number;
  /** Tickets that were already taken in the live queue, and the new ones given. */
  ticketsChanged: { from: string; to: string }[];
}

type Row = Record<string, unknown> & { id: string; ticket: string; state: string };

/** How many missing or unreadable rowids in a row end the scan of a damaged table. */
const SCAN_GAP = 1_000;

export function salvageJobs(table: JobTable, damagedFile: string): SalvageReport {
  if (!existsSync(damagedFile)) {
    throw new QueueError('not-found', `There is no file ${damagedFile} to recover jobs from.`);
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'kiosk-verify-recover-'));
  const copy = path.join(folder, 'damaged.sqlite');
  try {
    // A private copy: opening the file itself could replay its WAL into it or create a -shm.
    copyFileSync(damagedFile, copy);
    if (existsSync(`${damagedFile}-wal`)) copyFileSync(`${damagedFile}-wal`, `${copy}-wal`);
    let source: Database | undefined;
    try {
      source = new BetterSqlite3(copy, { fileMustExist: true });
      // Reading the schema fails at once on a file that is not a database at all.
      source.prepare('SELECT * FROM jobs WHERE rowid = ?');
    } catch (error) {
      source?.close();
      throw new QueueError(
        'unreadable-record',
        `${damagedFile} cannot be opened as a queue database at all; nothing can be recovered.`,
        { cause: error },
      );
    }
    try {
      return importRows(table, source, damagedFile);
    } finally {
      source.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function importRows(table: JobTable, source: Database, from: string): SalvageReport {
  const report: SalvageReport = {
    from,
    recovered: 0,
    alreadyPresent: 0,
    unreadable: 0,
    imagesLost: 0,
    ticketsChanged: [],
  };
  const liveColumns = new Set(
    (table.db.pragma('table_info(jobs)') as { name: string }[]).map((column) => column.name),
  );
  const readRow = source.prepare('SELECT * FROM jobs WHERE rowid = ?');
  const readImages = source.prepare('SELECT * FROM job_images WHERE job_id = ?');
  const exists = table.db.prepare('SELECT 1 FROM jobs WHERE id = ?').pluck();
  const ticketTaken = table.db.prepare('SELECT 1 FROM jobs WHERE ticket = ?').pluck();
  const insertImage = table.sql.insertImage;

  let gap = 0;
  for (let rowid = 1; gap < SCAN_GAP; rowid += 1) {
    let row: Row | undefined;
    try {
      row = readRow.get(rowid) as Row | undefined;
    } catch {
      report.unreadable += 1;
      gap += 1;
      continue;
    }
    if (row === undefined) {
      gap += 1;
      continue;
    }
    gap = 0;
    if (exists.get(row.id) !== undefined) {
      report.alreadyPresent += 1;
      continue;
    }
    let images: Record<string, unknown>[] = [];
    let imagesReadable = true;
    try {
      images = readImages.all(row.id) as Record<string, unknown>[];
    } catch {
      imagesReadable = false;
    }
    const pending = row.state === 'queued' || row.state === 'sending' || row.state === 'retry-wait';
    const job = { ...row };
    if (row.state === 'sending') {
      // Its send was cut off by the damage: back to the queue, counted as a resend.
      Object.assign(job, { state: 'queued', resends: Number(row.resends) + 1 });
    }
    Object.assign(job, { lease_owner: null, lease_pid: null, lease_host: null, lease_until: null });
    // Its age on this queue's observed clock (queue-clock.ts), not the damaged file's: from the
    // wall clock, the one record the two share.
    job.observed_at =
      table.time.observedNow() - Math.max(0, table.clock.now() - Number(row.created_at));
    if (pending && (!imagesReadable || images.length === 0)) {
      report.imagesLost += 1;
      Object.assign(job, {
        state: 'failed',
        finished_at: table.clock.now(),
        last_error_code: 'unreadable-images',
        last_error_message:
          "The job's images were lost with the damaged queue file; verify the customer again.",
      });
      images = [];
    }
    if (ticketTaken.get(row.ticket) !== undefined) {
      let ticket = newTicket();
      while (ticketTaken.get(ticket) !== undefined) ticket = newTicket();
      report.ticketsChanged.push({ from: row.ticket, to: ticket });
      job.ticket = ticket;
    }
    const columns = Object.keys(job).filter((name) => liveColumns.has(name));
    const insertJob = table.db.prepare(
      `INSERT INTO jobs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    try {
      table.write(() => {
        insertJob.run(Object.fromEntries(columns.map((name) => [name, job[name]])));
        for (const image of images) insertImage.run(image);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_CHECK') throw error;
      report.unreadable += 1;
      continue;
    }
    report.recovered += 1;
    table.changed(row.id);
  }
  return report;
}
