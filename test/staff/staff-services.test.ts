/**
 * The staff console's PIN inside the running kiosk's services: every PIN event reaches the
 * audit trail (never the PIN), and a customer's session starting signs staff out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../main/audit/audit-trail.js';
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { createServices, type Services } from '../../main/services.js';
import { CONSENT_TEXT_VERSION } from '../../model/kiosk-settings.js';

const PIN = '480951';
let dir: string;
let services: Services;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kv-staff-services-'));
  services = await createServices({
    dataDir: dir,
    secrets: new MemorySecretStore(),
    connectivity: new ManualConnectivity(false),
    training: true,
  });
});
afterEach(async () => {
  await services.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function auditEntries(): { type: string; details: Record<string, unknown> }[] {
  const trail = AuditTrail.open(dir, { mustExist: true });
  try {
    return trail.list({ limit: 100 }).map(({ type, details }) => ({ type, details }));
  } finally {
    trail.close();
  }
}

describe('the staff PIN in the kiosk', () => {
  it('records setting the PIN, wrong tries, the lock-out and signing in and out, never the PIN', async () => {
    const { pins, session } = services.staff;
    expect(await pins.state()).toBe('not-set');
    await pins.setPin(PIN);
    expect(await session.signIn(PIN)).toMatchObject({ ok: true });
    session.signOut();
    for (let i = 0; i < 5; i += 1) await pins.verifyPin('000001');
    expect(await pins.verifyPin(PIN)).toMatchObject({ ok: false, reason: 'locked' });
    await services.close();

    const entries = auditEntries().filter((entry) => !entry.type.startsWith('app-'));
    expect(entries.map((entry) => entry.type)).toEqual([
      'staff-pin-set',
      'staff-signed-in',
      'staff-signed-out',
      'pin-failed',
      'pin-failed',
      'pin-failed',
      'pin-failed',
      'pin-failed',
      'staff-locked-out',
    ]);
    expect(entries[3]!.details).toEqual({ staff: 'console', failures: 1 });
    expect(entries[8]!.details).toMatchObject({ staff: 'console', failures: 5 });
    expect(readFileSync(join(dir, 'audit.sqlite')).includes(Buffer.from(PIN))).toBe(false);
  });

  it('signs staff out when a customer session starts', async () => {
    const { pins, session } = services.staff;
    await pins.setPin(PIN);
    await session.signIn(PIN);
    expect(session.isSignedIn()).toBe(true);
    const started = services.sessions.start('liveness', 'en', CONSENT_TEXT_VERSION);
    expect(session.isSignedIn()).toBe(false);
    services.sessions.end(started.sessionId);
  });
});
