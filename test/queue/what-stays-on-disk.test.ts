/**
 * What a finished verification leaves on disk, and who may read what the app creates: real
 * SQLite files, a second connection holding the database open as the kiosk app would while the
 * CLI drains, real folders.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../main/services.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { deliverySetup } from './delivery-setup.js';
import { livenessJob, queueFixture, type QueueFixture } from './queue-fixtures.js';

let fx: QueueFixture;
beforeEach(() => {
  fx = queueFixture();
});
afterEach(() => fx.cleanup());

describe('finished jobs', () => {
  it("leave none of their images' ciphertext in the file or the WAL, even while another connection holds it open", async () => {
    const { store, loop } = deliverySetup(fx);
    // The kiosk app's connection, open and idle, as when support drains from a shell.
    const other = new BetterSqlite3(fx.file);
    try {
      for (let i = 0; i < 27; i += 1) store.enqueue(livenessJob());
      const sealed = (
        other.prepare('SELECT ciphertext FROM job_images').all() as { ciphertext: Buffer }[]
      ).map((row) => row.ciphertext);
      expect(sealed).toHaveLength(27);

      const summary = await loop.drain();
      expect(summary.totals.done).toBe(27);
      // The checkpoint after deletions runs shortly after the last one.
      await expect
        .poll(
          () => {
            const onDisk = Buffer.concat(
              [fx.file, `${fx.file}-wal`]
                .filter((file) => existsSync(file))
                .map((file) => readFileSync(file)),
            );
            return sealed.filter((ciphertext) => onDisk.includes(ciphertext.subarray(64, 128)))
              .length;
          },
          { timeout: 5_000 },
        )
        .toBe(0);
    } finally {
      other.close();
    }
  });
});

describe('what the app creates', () => {
  // Not on Windows: POSIX permission bits do not exist there (stat reports 0o666 or 0o444; the
  // folder's ACL, inherited from the user's profile, is what keeps it private).
  it.runIf(process.platform !== 'win32')(
    'is private to its user: folders 0700, the queue and the log 0600',
    async () => {
      const dataDir = join(fx.dir, 'Kiosk Verify');
      const services = await createServices({
        dataDir,
        secrets: new MemorySecretStore(),
        connectivity: new ManualConnectivity(false),
      });
      services.log.record('test', {});
      await services.close();
      const mode = (file: string): number => statSync(file).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'logs'))).toBe(0o700);
      expect(mode(join(dataDir, 'queue.sqlite'))).toBe(0o600);
      expect(mode(join(dataDir, 'logs', 'kiosk-verify.log'))).toBe(0o600);
    },
  );
});
