/**
 * A job's states, in their own file with no Node imports: the IPC contract (and so the
 * renderer) shares them. What each means: job.ts and the queue's README.
 */
export const JOB_STATES = ['queued', 'sending', 'retry-wait', 'done', 'failed', 'expired'] as const;
export type JobState = (typeof JOB_STATES)[number];
