/** The foreground drain: a progress bar on a terminal, JSON lines for scripts. */
import type { Services } from '../../services.js';
import type { DrainSummary } from '../../queue/delivery/delivery-loop.js';
import type { CliContext } from '../cli-context.js';

const BAR_WIDTH = 30;

function progressBar(finished: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((finished / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${finished}/${total} delivered or ended`;
}

export interface CliDrainSummary extends DrainSummary {
  /** Jobs that ended during this drain, by how. */
  ended: { done: number; failed: number; expired: number };
}

export async function drain(services: Services, context: CliContext): Promise<CliDrainSummary> {
  const onTerminal = (context.stderr as NodeJS.WriteStream).isTTY === true;
  const line = (value: unknown): void => {
    context.stdout.write(`${JSON.stringify(value)}\n`);
  };
  const { events } = services.store;
  const ended = { done: 0, failed: 0, expired: 0 };
  const countEnded = events.on('job-changed', ({ state }) => {
    if (state === 'done' || state === 'failed' || state === 'expired') ended[state] += 1;
  });
  const unsubscribe = onTerminal
    ? [
        events.on('drain-progress', ({ finished, total }) =>
          context.stderr.write(`\r${progressBar(finished, total)}`),
        ),
        events.on('vendor-paused', (pause) => context.stderr.write(`\n${pause.message}\n`)),
        events.on('storage-problem', (problem) => context.stderr.write(`\n${problem.message}\n`)),
      ]
    : [
        events.on('drain-progress', (progress) => line({ event: 'drain-progress', ...progress })),
        events.on('job-changed', (change) => line({ event: 'job-changed', ...change })),
        events.on('vendor-paused', (pause) => line({ event: 'vendor-paused', ...pause })),
        events.on('connectivity', (state) => line({ event: 'connectivity', ...state })),
        events.on('storage-problem', (problem) => line({ event: 'storage-problem', ...problem })),
      ];
  try {
    await services.startDelivery();
    const summary = await services.loop.drain({ signal: context.stop });
    return { ...summary, ended };
  } finally {
    countEnded();
    for (const off of unsubscribe) off();
    if (onTerminal) context.stderr.write('\n');
  }
}
