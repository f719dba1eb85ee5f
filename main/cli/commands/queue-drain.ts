/** The foreground drain: a progress bar on a terminal, JSON lines for scripts. */
import type { Services } from '../../services.js';
import type { DrainSummary } from '../../queue/delivery-loop.js';
import type { CliContext } from '../cli-context.js';

const BAR_WIDTH = 30;

function progressBar(finished: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((finished / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${finished}/${total} delivered or ended`;
}

export async function drain(services: Services, context: CliContext): Promise<DrainSummary> {
  const onTerminal = (context.stderr as NodeJS.WriteStream).isTTY === true;
  const line = (value: unknown): void => {
    context.stdout.write(`${JSON.stringify(value)}\n`);
  };
  const { events } = services.store;
  const unsubscribe = onTerminal
    ? [
        events.on('drain-progress', ({ finished, total }) =>
          context.stderr.write(`\r${progressBar(finished, total)}`),
        ),
        events.on('vendor-paused', (pause) => context.stderr.write(`\n${pause.message}\n`)),
      ]
    : [
        events.on('drain-progress', (progress) => line({ event: 'drain-progress', ...progress })),
        events.on('job-changed', (change) => line({ event: 'job-changed', ...change })),
        events.on('vendor-paused', (pause) => line({ event: 'vendor-paused', ...pause })),
        events.on('connectivity', (state) => line({ event: 'connectivity', ...state })),
      ];
  try {
    await services.startDelivery();
    return await services.loop.drain({ signal: context.stop });
  } finally {
    for (const off of unsubscribe) off();
    if (onTerminal) context.stderr.write('\n');
  }
}
