/**
 * The queue's events, as the renderer receives them on the contract's one event channel. Each
 * is checked against KioskEventSchema on its way out (and trimmed to the contract's fields).
 */
import { KioskEventSchema, type KioskEvent } from '../../preload/contract.js';
import type { QueueEvents } from '../queue/queue-events.js';
import type { CustomerSessionEvent } from '../session/customer-sessions.js';

/** The customer sessions' events, checked against the contract on their way out. */
export function sessionEventSender(send: (event: KioskEvent) => void) {
  return (event: CustomerSessionEvent): void => send(KioskEventSchema.parse(event));
}

/** Calls `send` with every queue event, until the returned function is called. */
export function bridgeQueueEvents(
  events: QueueEvents,
  send: (event: KioskEvent) => void,
): () => void {
  const forward = (event: KioskEvent): void => send(KioskEventSchema.parse(event));
  const unsubscribe = [
    events.on('job-changed', (job) => forward({ type: 'job-changed', job })),
    events.on('totals', (totals) => forward({ type: 'queue-totals', totals })),
    events.on('drain-progress', (progress) => forward({ type: 'drain-progress', ...progress })),
    events.on('vendor-paused', (pause) => forward({ type: 'vendor-paused', pause })),
    events.on('vendor-resumed', ({ vendor }) => forward({ type: 'vendor-resumed', vendor })),
    events.on('connectivity', ({ online }) => forward({ type: 'connectivity', online })),
    events.on('delivery-problem', ({ message }) => forward({ type: 'delivery-problem', message })),
    events.on('storage-problem', (problem) => forward({ type: 'storage-problem', ...problem })),
    events.on('storage-recovered', ({ file }) => forward({ type: 'storage-recovered', file })),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}
