/**
 * The renderer's commands and events, through the same dispatch the Electron shell uses, over a
 * real queue file: validated input, answers trimmed to the contract, typed failures, and the
 * staff actions (find by ticket, retry, discard, resume a paused vendor) doing what they say.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCommand } from '../../main/ipc/dispatch.js';
import { bridgeQueueEvents } from '../../main/ipc/event-bridge.js';
import { createKioskCommands, type CommandHandlers } from '../../main/ipc/kiosk-commands.js';
import { writeVendorCredentials } from '../../main/secrets/vendor-credentials.js';
import { CustomerSessions } from '../../main/session/customer-sessions.js';
import { DEFAULT_KIOSK_SETTINGS } from '../../model/kiosk-settings.js';
import { VendorError } from '../../main/vendors/vendor-error.js';
import {
  COMMANDS,
  KioskEventSchema,
  type CommandName,
  type CommandResult,
  type KioskEvent,
} from '../../preload/contract.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';
import { deliverySetup, type DeliverySetup } from '../queue/delivery-setup.js';
import type { SecretStore } from '../../main/secrets/secret-store.js';
import { consoleFixture, type ConsoleFixture } from './console-fixture.js';
import { livenessJob, queueFixture, type QueueFixture } from '../queue/queue-fixtures.js';

/**
 * The queue commands' tests need no customer session: one that was never started answers every
 * session command with 'no-session' (test/web/ and test/session/ drive real sessions).
 */
function sessionDeps() {
  return {
    sessions: new CustomerSessions({
      capture: {
        analyzeFrame: () => Promise.reject(new Error('no camera here')),
        captureFrame: () => Promise.reject(new Error('no camera here')),
        resetSteadiness: () => undefined,
      },
      verification: { verify: () => Promise.reject(new Error('no vendor here')) },
      settings: () => DEFAULT_KIOSK_SETTINGS,
      training: () => true,
      log: { record: () => undefined },
      emit: () => undefined,
    }),
    kioskConfig: () => {
      throw new Error('not needed by the queue commands');
    },
    rememberCamera: () => undefined,
  };
}

let fx: QueueFixture;
let setup: DeliverySetup;
let commands: CommandHandlers;
const internalErrors: { channel: CommandName; error: unknown }[] = [];

function call<C extends CommandName>(channel: C, input?: unknown): Promise<CommandResult<C>> {
  return dispatchCommand(commands, channel, input, (failed, error) =>
    internalErrors.push({ channel: failed, error }),
  );
}

async function value<C extends CommandName>(channel: C, input?: unknown) {
  const result = await call(channel, input);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

let staffConsole: ConsoleFixture | null = null;

/** The kiosk's and the console's commands, with staff signed in (the queue commands need it). */
async function open(keychain?: SecretStore): Promise<void> {
  fx = queueFixture();
  setup = deliverySetup(fx);
  staffConsole = consoleFixture(fx, setup, keychain ? { keychain } : {});
  await staffConsole.signIn();
  commands = {
    ...createKioskCommands({
      appInfo: () => ({ version: '1.2.3', trainingMode: true, platform: 'linux', canQuit: false }),
      ...sessionDeps(),
    }),
    ...staffConsole.commands,
  };
}

afterEach(async () => {
  await setup.loop.stop();
  staffConsole?.close();
  staffConsole = null;
  fx.cleanup();
  internalErrors.length = 0;
});

describe('queue commands', () => {
  it('lists jobs for the staff console without images or the vendor raw body', async () => {
    await open();
    const queued = setup.store.enqueue(livenessJob({ staffRef: 'AB' }));
    const delivered = setup.store.enqueue(livenessJob());
    setup.sender.answer(new VendorError('network', 'link down'));
    await setup.loop.deliverDue();

    const jobs = await value('queue:list-jobs', { limit: 10 });
    expect(jobs.map((job) => job.id).sort()).toEqual([queued.id, delivered.id].sort());
    const done = jobs.find((job) => job.state === 'done')!;
    expect(done.verdict).toBe('verified');
    expect(done.result?.liveness.score).toBe(0.93);
    expect(done.result).not.toHaveProperty('raw');
    const waiting = jobs.find((job) => job.state === 'retry-wait')!;
    expect(waiting.lastError).toEqual({ code: 'network', message: 'link down' });
    expect(waiting.result).toBeNull();
    for (const job of jobs) {
      expect(Object.keys(job)).not.toContain('consent');
      expect(Object.keys(job)).not.toContain('hasImages');
    }
    expect(await value('queue:get-status')).toMatchObject({
      totals: { done: 1, 'retry-wait': 1, queued: 0 },
      pausedVendors: [],
    });
  });

  it('finds a job by the ticket as staff type it, and answers null for an unknown one', async () => {
    await open();
    const job = setup.store.enqueue(livenessJob());
    const typed = `${job.ticket.slice(0, 3).toLowerCase()}-${job.ticket.slice(3)}`;

    expect((await value('queue:find-job', { ticket: typed }))?.id).toBe(job.id);
    expect((await value('queue:find-job', { id: job.id }))?.ticket).toBe(job.ticket);
    expect(await value('queue:find-job', { ticket: 'ZZZZZZ' })).toBeNull();
  });

  it('retries a waiting job now, and refuses to retry a finished one with invalid-state', async () => {
    await open();
    const job = setup.store.enqueue(livenessJob());
    setup.sender.answer(new VendorError('server', 'HTTP 503'));
    await setup.loop.deliverDue();
    expect(setup.store.get(job.id)?.state).toBe('retry-wait');

    const retried = await value('queue:retry-job', { id: job.id });
    expect(retried.state).toBe('queued');
    expect(retried.nextAttemptAt).toBeNull();
    await setup.loop.deliverDue();
    expect(setup.store.get(job.id)?.state).toBe('done');

    const again = await call('queue:retry-job', { id: job.id });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.code).toBe('invalid-state');
    expect(!again.ok && again.error.message).toMatch(/has ended \(done\)/);
  });

  it('discards a waiting job (its images deleted) and says not-found for an unknown id', async () => {
    await open();
    const job = setup.store.enqueue(livenessJob());

    const discarded = await value('queue:discard-job', { id: job.id });
    expect(discarded).toMatchObject({ state: 'failed', lastError: { code: 'discarded' } });
    expect(setup.store.get(job.id)?.hasImages).toBe(false);
    const missing = await call('queue:discard-job', { id: 'no-such-job' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No job no-such-job in the queue.', retryable: false },
    });
  });

  it('shows a vendor paused for refused credentials, and resumes it when staff ask', async () => {
    await open();
    setup.store.enqueue(livenessJob());
    setup.sender.answer(new VendorError('auth', 'HTTP 401'));
    await setup.loop.deliverDue();

    const paused = await value('queue:get-status');
    expect(paused.pausedVendors).toEqual([
      expect.objectContaining({ vendor: 'kairos', reason: 'auth', until: null }),
    ]);
    const resumed = await value('queue:resume-vendor', { vendor: 'kairos' });
    expect(resumed.pausedVendors).toEqual([]);
    await setup.loop.deliverDue();
    expect(resumed.totals.queued + resumed.totals['retry-wait']).toBe(1);
    expect((await value('queue:get-status')).totals.done).toBe(1);
  });
});

describe('the border itself', () => {
  it('refuses input the contract does not allow, naming the field, and runs nothing', async () => {
    await open();
    const job = setup.store.enqueue(livenessJob());
    const refused = [
      await call('queue:list-jobs', { limit: 0 }),
      await call('queue:list-jobs', undefined),
      await call('queue:find-job', {}),
      await call('queue:discard-job', { id: 42 }),
      await call('queue:resume-vendor', { vendor: 'acme' }),
    ];
    for (const result of refused) {
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('bad-input');
    }
    expect(!refused[0]!.ok && refused[0]!.error.message).toMatch(/^queue:list-jobs: limit: /);
    expect(!refused[3]!.ok && refused[3]!.error.message).toMatch(/id: /);
    expect(setup.store.get(job.id)?.state).toBe('queued');
  });

  it('reports a bug as internal without its details, and hands the error to the log', async () => {
    await open();
    commands = {
      ...commands,
      'queue:get-status': () => {
        throw new Error('SQLITE_CORRUPT at /home/kiosk/.config/queue.sqlite');
      },
    };
    const result = await call('queue:get-status');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'queue:get-status failed inside the kiosk; the event log has the details.',
        retryable: false,
      },
    });
    expect(internalErrors).toHaveLength(1);
    expect(String(internalErrors[0]!.error)).toMatch(/SQLITE_CORRUPT/);
  });

  it('checks answers on the way out: a handler that breaks the contract is an internal error', async () => {
    await open();
    commands = {
      ...commands,
      'app:get-info': () => ({ version: 7 }) as never,
    };
    expect(await call('app:get-info')).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(internalErrors[0]?.channel).toBe('app:get-info');
  });

  it('has a handler for every command in the contract', async () => {
    await open();
    expect(Object.keys(commands).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('forwards every queue event in the contract shape, trimmed to its fields', async () => {
    await open();
    const received: KioskEvent[] = [];
    const stop = bridgeQueueEvents(setup.store.events, (event) => received.push(event));
    const job = setup.store.enqueue(livenessJob());
    await setup.loop.deliverDue();
    setup.store.events.emit('connectivity', { online: false });
    setup.store.events.emit('job-changed', {
      ...setup.store.get(job.id)!,
      // A field the contract does not name never reaches the renderer.
      secretNote: 'must not cross',
    } as never);
    stop();
    setup.store.events.emit('connectivity', { online: true });

    for (const event of received) expect(KioskEventSchema.parse(event)).toEqual(event);
    const states = received.flatMap((event) =>
      event.type === 'job-changed' ? [event.job.state] : [],
    );
    expect(states).toEqual(['queued', 'sending', 'done', 'done']);
    expect(received).toContainEqual({ type: 'drain-progress', finished: 1, total: 1 });
    // The loop's first look (online), the one emitted here; none after stop().
    expect(received.filter((event) => event.type === 'connectivity')).toEqual([
      { type: 'connectivity', online: true },
      { type: 'connectivity', online: false },
    ]);
    expect(JSON.stringify(received)).not.toContain('must not cross');
  });
});

describe('secrets status, from the real keychain', () => {
  let keychain: ReturnType<typeof isolatedKeychainStore>;
  beforeAll(async () => {
    await requireRealKeychain();
    keychain = isolatedKeychainStore();
  });
  afterAll(async () => {
    await keychain.cleanup();
  });

  it('says which vendors are set, never the values', async () => {
    const appKey = 'status-probe-app-key-41c9e';
    await writeVendorCredentials(keychain.store, { vendor: 'kairos', appId: 'id-1', appKey });
    await open(keychain.store);

    const result = await call('secrets:get-status');
    expect(result).toEqual({
      ok: true,
      value: { vendors: { kairos: 'set', 'biometric-kz': 'not-set' }, queueDataKey: 'not-set' },
    });
    expect(JSON.stringify(result)).not.toContain(appKey);
  });
});
