/**
 * Drain progress for the UI and the CLI's progress bar: "n of m", where n counts jobs that
 * finished (done, failed or expired) since the queue was last empty and m is n plus the jobs
 * still pending. Counting from the last empty queue keeps the bar meaningful for a burst of
 * work without a notion of "sessions".
 */
import { isTerminal, PENDING_STATES } from '../job.js';
import type { JobChange, QueueEvents, QueueTotals } from '../queue-events.js';

export class DrainProgressReporter {
  readonly #events: QueueEvents;
  readonly #totals: () => QueueTotals | undefined;
  #finished = 0;
  #last = '';

  constructor(events: QueueEvents, totals: () => QueueTotals | undefined) {
    this.#events = events;
    this.#totals = totals;
  }

  /** Call on every job change; emits 'drain-progress' when n or m moved. */
  jobChanged(change: JobChange): void {
    if (this.#events.listenerCount('drain-progress') === 0) return;
    if (isTerminal(change.state)) this.#finished += 1;
    const totals = this.#totals();
    if (!totals) return;
    const pending = PENDING_STATES.reduce((sum, state) => sum + totals[state], 0);
    const progress = { finished: this.#finished, total: this.#finished + pending };
    const key = `${progress.finished}/${progress.total}`;
    if (key !== this.#last) {
      this.#last = key;
      this.#events.emit('drain-progress', progress);
    }
    if (pending === 0) this.#finished = 0;
  }
}
