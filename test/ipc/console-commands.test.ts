/**
 * The staff console's commands through the same dispatch the Electron shell and the harness
 * use, over a real queue file, PIN file, settings file and audit trail: nothing works signed
 * out, the lists page through the queue, settings and credentials changes are audited without
 * values, and a vendor paused for its credentials resumes the moment staff save new ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import type { CommandName, CommandResult } from '../../preload/contract.js';
import type { CommandHandlers } from '../../main/ipc/kiosk-commands.js';
import { deliverySetup, type DeliverySetup } from '../queue/delivery-setup.js';
import { livenessJob, queueFixture, type QueueFixture } from '../queue/queue-fixtures.js';
import { consoleFixture, TEST_PIN, type ConsoleFixture } from './console-fixture.js';

let fx: QueueFixture;
let setup: DeliverySetup;
let staffConsole: ConsoleFixture;

function open(options: { policyFile?: string } = {}): void {
  fx = queueFixture();
  setup = deliverySetup(fx);
  staffConsole = consoleFixture(fx, setup, options);
}

afterEach(async () => {
  await setup.loop.stop();
  staffConsole.close();
  fx.cleanup();
});

function call<C extends CommandName>(channel: C, input?: unknown): Promise<CommandResult<C>> {
  return dispatchCommand(staffConsole.commands as CommandHandlers, channel, input, (_, error) => {
    throw error;
  });
}

async function value<C extends CommandName>(channel: C, input?: unknown) {
  const result = await call(channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

const MINUTE = 60_000;

describe('signing in', () => {
  it('the first PIN signs staff in; every other command is refused signed out, and after two idle minutes', async () => {
    open();
    expect(await value('staff:get-status')).toMatchObject({ pinSet: false, signedIn: false });
    expect(await call('queue:list-page', { list: 'queue', offset: 0, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'signed-out' },
    });
    expect(await call('staff:set-first-pin', { pin: '123456' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringMatching(/guess/i) },
    });
    expect(await value('staff:set-first-pin', { pin: TEST_PIN })).toMatchObject({
      pinSet: true,
      signedIn: true,
      triesLeft: 5,
    });
    expect(await call('staff:set-first-pin', { pin: '902817' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    expect((await value('queue:list-page', { list: 'queue', offset: 0, limit: 10 })).total).toBe(0);
    // Each command is activity: 90 s, a command, 90 s more: still in.
    fx.clock.advance(1.5 * MINUTE);
    await value('settings:get');
    fx.clock.advance(1.5 * MINUTE);
    await value('settings:get');
    fx.clock.advance(2 * MINUTE);
    expect(await call('settings:get')).toMatchObject({ ok: false, error: { code: 'signed-out' } });
    expect(await value('staff:get-status')).toMatchObject({ signedIn: false });
  });

  it('wrong PINs count down, the fifth locks with its end, the lock holds for the right PIN', async () => {
    open();
    await value('staff:set-first-pin', { pin: TEST_PIN });
    await value('staff:sign-out');
    for (let left = 4; left >= 1; left -= 1) {
      expect(await value('staff:sign-in', { pin: '000001' })).toEqual({
        ok: false,
        reason: 'wrong-pin',
        triesLeft: left,
        lockedUntil: null,
      });
    }
    const locked = await value('staff:sign-in', { pin: '000001' });
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    expect(locked.ok === false && locked.lockedUntil).toBe(fx.clock.now() + 5 * MINUTE);
    expect(await value('staff:sign-in', { pin: TEST_PIN })).toMatchObject({ reason: 'locked' });
    fx.clock.advance(5 * MINUTE + 1);
    expect(await value('staff:sign-in', { pin: TEST_PIN })).toMatchObject({ ok: true });
  });
});

describe('the queue and results lists', () => {
  it('pages newest first, finds by the start of a ticket, and says when a result is purged', async () => {
    open();
    await staffConsole.signIn();
    const jobs = [];
    for (let i = 0; i < 25; i += 1) {
      jobs.push(setup.store.enqueue(livenessJob()));
      fx.clock.advance(1000);
    }
    const first = await value('queue:list-page', { list: 'queue', offset: 0, limit: 10 });
    expect(first.total).toBe(25);
    expect(first.jobs.map((job) => job.id)).toEqual(
      jobs
        .slice(-10)
        .reverse()
        .map((job) => job.id),
    );
    const last = await value('queue:list-page', { list: 'queue', offset: 20, limit: 10 });
    expect(last.jobs.map((job) => job.id)).toEqual(
      jobs
        .slice(0, 5)
        .reverse()
        .map((job) => job.id),
    );
    const wanted = jobs[7]!;
    const typed = `${wanted.ticket.slice(0, 2).toLowerCase()}-${wanted.ticket.slice(2, 4)}`;
    const found = await value('queue:list-page', {
      list: 'queue',
      offset: 0,
      limit: 10,
      ticket: typed,
    });
    expect(found.jobs.map((job) => job.ticket)).toContain(wanted.ticket);
    expect(found.jobs.every((job) => job.ticket.startsWith(wanted.ticket.slice(0, 4)))).toBe(true);

    await setup.loop.deliverDue();
    const results = await value('queue:list-page', { list: 'results', offset: 0, limit: 50 });
    expect(results.total).toBe(25);
    const done = results.jobs[0]!;
    expect(done).toMatchObject({ state: 'done', verdict: 'verified' });
    expect(done.purgeAt).toBe(done.finishedAt! + 30 * 24 * 60 * MINUTE);
    expect((await value('queue:list-page', { list: 'queue', offset: 0, limit: 10 })).total).toBe(0);
  });

  it('a vendor paused for its credentials resumes the moment staff save new ones, no polling', async () => {
    open();
    await staffConsole.signIn();
    const job = setup.store.enqueue(livenessJob());
    setup.sender.answer(new VendorError('auth', 'HTTP 401: the app key is not valid'));
    await setup.loop.deliverDue();
    expect((await value('queue:get-status')).pausedVendors).toEqual([
      expect.objectContaining({ vendor: 'kairos', reason: 'auth' }),
    ]);
    await value('credentials:set', { vendor: 'kairos', appId: 'app-id-2', appKey: 'app-key-2' });
    expect((await value('queue:get-status')).pausedVendors).toEqual([]);
    await setup.loop.deliverDue();
    expect(setup.store.get(job.id)?.state).toBe('done');
    expect(setup.sender.sent.at(-1)?.credentials).toEqual({
      vendor: 'kairos',
      appId: 'app-id-2',
      appKey: 'app-key-2',
    });
  });
});

describe('settings and credentials', () => {
  it('a change is saved, takes effect, and is audited with old and new values', async () => {
    open();
    await staffConsole.signIn();
    const view = await value('settings:update', {
      livenessThreshold: 0.72,
      idle: { resultSeconds: 20, otherSeconds: 90 },
      retentionDays: 10,
    });
    expect(view.settings).toMatchObject({ livenessThreshold: 0.72, retentionDays: 10 });
    expect(staffConsole.settings.current().idle.resultSeconds).toBe(20);
    const changes = staffConsole.audit
      .list()
      .filter((entry) => entry.type === 'settings-changed')
      .map((entry) => entry.details);
    expect(changes).toEqual([
      { key: 'livenessThreshold', oldValue: 0.6, newValue: 0.72, staff: 'console' },
      { key: 'idle.resultSeconds', oldValue: 30, newValue: 20, staff: 'console' },
      { key: 'retentionDays', oldValue: 30, newValue: 10, staff: 'console' },
    ]);
    // A patch of one key leaves every other setting as it was (not back to its default).
    const later = await value('settings:update', { maxQueueDays: 2 });
    expect(later.settings).toMatchObject({
      maxQueueDays: 2,
      livenessThreshold: 0.72,
      retentionDays: 10,
      idle: { resultSeconds: 20 },
    });
    expect(await call('settings:update', { livenessThreshold: 3 })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringMatching(/livenessThreshold/) },
    });
    expect(await call('settings:update', { noSuchSetting: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
  });

  it("a setting the bank's policy manages is shown locked and cannot be changed", async () => {
    fx = queueFixture();
    setup = deliverySetup(fx);
    const policyFile = join(fx.dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ livenessThreshold: 0.8 }));
    staffConsole = consoleFixture(fx, setup, { policyFile });
    await staffConsole.signIn();
    const view = await value('settings:get');
    expect(view.locked).toEqual(['livenessThreshold']);
    expect(view.settings.livenessThreshold).toBe(0.8);
    expect(await call('settings:update', { livenessThreshold: 0.5 })).toMatchObject({
      ok: false,
      error: { code: 'setting-locked', message: expect.stringMatching(/policy/) },
    });
    expect(staffConsole.settings.current().livenessThreshold).toBe(0.8);
  });

  it('credentials are written, never shown, dated and audited without their values', async () => {
    open();
    await staffConsole.signIn();
    await setup.secrets.delete('biometric-kz.apiKey');
    expect((await value('credentials:get')).vendors['biometric-kz']).toEqual({
      set: false,
      changedAt: null,
    });
    const saved = await value('credentials:set', {
      vendor: 'biometric-kz',
      apiKey: 'console-probe-api-key-8c1d',
    });
    expect(saved.vendors['biometric-kz']).toEqual({
      set: true,
      changedAt: new Date(fx.clock.now()).toISOString(),
    });
    expect(JSON.stringify(saved)).not.toContain('console-probe');
    expect(await setup.secrets.get('biometric-kz.apiKey')).toBe('console-probe-api-key-8c1d');
    expect(
      await call('credentials:set', { vendor: 'kairos', appId: 'id', appKey: 'has space' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    await value('credentials:remove', { vendor: 'biometric-kz' });
    expect(await setup.secrets.get('biometric-kz.apiKey')).toBeNull();
    const audited = staffConsole.audit
      .list()
      .filter((entry) => entry.type === 'credentials-changed');
    expect(audited.map((entry) => entry.details)).toEqual([
      { vendor: 'biometric-kz', field: 'apiKey', action: 'set', staff: 'console' },
      { vendor: 'biometric-kz', field: 'apiKey', action: 'deleted', staff: 'console' },
    ]);
  });
});

describe('the audit trail from the console', () => {
  it('verifies, and exports days as CSV that parses back with formula cells escaped', async () => {
    open();
    await staffConsole.signIn();
    await value('settings:update', { camera: '=HYPERLINK("http://x")' });
    expect(await value('audit:verify')).toMatchObject({ ok: true, entries: expect.any(Number) });
    const day = new Date(fx.clock.now()).toISOString().slice(0, 10);
    const exported = await value('audit:export', { from: day, to: day });
    expect(exported.fileName).toBe(`kiosk-verify-audit-${day}-to-${day}.csv`);
    const rows = parse(exported.csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(exported.rows);
    const change = rows.find(
      (row) => row.type === 'settings-changed' && row.details?.includes('camera'),
    );
    expect(change?.details).toContain('HYPERLINK');
    expect(exported.csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(await call('audit:export', { from: '2024-01-01', to: '2024-12-31' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringMatching(/kiosk-verify audit export/) },
    });
  });
});
