/** A delivery loop over a real queue file, a scripted sender and in-memory secrets. */
import { ManualConnectivity } from '../../main/connectivity/connectivity.js';
import { DeliveryLoop, type DeliveryLoopOptions } from '../../main/queue/delivery/delivery-loop.js';
import type { JobStore } from '../../main/queue/store/job-store.js';
import type { QueueEventMap, QueueEvents } from '../../main/queue/queue-events.js';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store.js';
import { kairosEntryValue } from '../../main/secrets/vendor-credentials.js';
import { FakeSender } from './fake-sender.js';
import type { QueueFixture } from './queue-fixtures.js';

export const KAIROS_SECRETS = {
  'kairos.credentials': kairosEntryValue({ appId: 'app-id-1', appKey: 'app-key-1' }),
} as const;
export const KZ_SECRETS = { 'biometric-kz.apiKey': 'kz-key-1' } as const;

/** Every queue event, in order, as a test records it. */
export type RecordedQueueEvent = {
  [K in keyof QueueEventMap]: { name: K; payload: QueueEventMap[K] };
}[keyof QueueEventMap];

/** Records every event the loop and store emit (totals aside: they are counted, not changes). */
export function recordQueueEvents(queueEvents: QueueEvents): RecordedQueueEvent[] {
  const events: RecordedQueueEvent[] = [];
  for (const name of [
    'job-changed',
    'drain-progress',
    'vendor-paused',
    'vendor-resumed',
    'connectivity',
    'delivery-problem',
    'clock-jump',
  ] as const) {
    queueEvents.on(name, (payload) => events.push({ name, payload } as RecordedQueueEvent));
  }
  return events;
}

export interface DeliverySetup {
  store: JobStore;
  loop: DeliveryLoop;
  sender: FakeSender;
  secrets: MemorySecretStore;
  connectivity: ManualConnectivity;
  /** Every event the loop and store emitted, in order. */
  events: RecordedQueueEvent[];
}

export function deliverySetup(
  fx: QueueFixture,
  options: Partial<Omit<DeliveryLoopOptions, 'store' | 'sender' | 'secrets' | 'connectivity'>> & {
    online?: boolean;
    secrets?: MemorySecretStore;
  } = {},
): DeliverySetup {
  const store = fx.open();
  const sender = new FakeSender();
  const secrets = options.secrets ?? new MemorySecretStore({ ...KAIROS_SECRETS, ...KZ_SECRETS });
  const connectivity = new ManualConnectivity(options.online ?? true);
  const events = recordQueueEvents(store.events);
  const loop = new DeliveryLoop({
    store,
    sender,
    secrets,
    connectivity,
    clock: fx.clock,
    // Mid-window jitter keeps the expected retry times exact.
    random: () => 0.5,
    ...options,
  });
  return { store, loop, sender, secrets, connectivity, events };
}
