/**
 * The delivery loop: sends queued jobs through the gateway when the network allows, one at a
 * time per vendor by default, and applies the delivery policy to every failure. It never
 * blocks for long (each store call is a few small statements) and never stops on a bad job.
 */
import { VENDOR_IDS, type VendorId } from '../../../model/apis.js';
import type { VendorCredentials } from '../../../model/request.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { readVendorCredentials } from '../../secrets/vendor-credentials.js';
import { systemClock, type Clock } from '../../clock/clock.js';
import type { Connectivity } from '../../connectivity/connectivity.js';
import { deliverJob, type DeliveryOutcome, type VerificationSender } from './deliver-job.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import type { JobStore } from '../store/job-store.js';
import { DrainProgressReporter } from './drain-progress.js';
import type { Job } from '../job.js';
import { newLeaseOwner, type LeaseOwner } from '../lease-owner.js';
import {
  zeroTotals,
  type QueueEvents,
  type QueueTotals,
  type StorageProblemEvent,
  type VendorPause,
} from '../queue-events.js';
import { storageErrorOf, type StorageError } from '../store/storage-errors.js';
import { saveUnrecordedResult } from '../store/unrecorded-results.js';
import { VendorPauses } from './vendor-pauses.js';

export interface DeliveryLoopOptions {
  store: JobStore;
  sender: VerificationSender;
  secrets: SecretStore;
  connectivity: Connectivity;
  clock?: Clock;
  policy?: Partial<DeliveryPolicy>;
  /** Sends in flight for a vendor, overriding policy.concurrencyPerVendor. */
  concurrency?: Partial<Record<VendorId, number>>;
  /** For backoff jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface DrainSummary {
  totals: QueueTotals;
  /** Vendors left paused: their jobs stay queued until someone acts (or the cool-down ends). */
  pausedVendors: VendorPause[];
  /** True when the drain was cancelled before the queue emptied. */
  cancelled: boolean;
  /** Set when the drain stopped because the queue's storage failed (see 'storage-problem'). */
  storageProblem: StorageProblemEvent | null;
}

export class DeliveryLoop {
  readonly events: QueueEvents;
  readonly owner: LeaseOwner = newLeaseOwner();
  readonly #store: JobStore;
  readonly #sender: VerificationSender;
  readonly #secrets: SecretStore;
  readonly #credentialReads = new Map<VendorId, Promise<VendorCredentials>>();
  readonly #connectivity: Connectivity;
  readonly #clock: Clock;
  readonly #policy: DeliveryPolicy;
  readonly #concurrency: Partial<Record<VendorId, number>>;
  readonly #random: () => number;
  readonly #pauses: VendorPauses;
  readonly #inFlight = new Map<string, { vendor: VendorId; settled: Promise<void> }>();
  readonly #settledListeners = new Set<() => void>();
  #abort = new AbortController();
  #running = false;
  #manualRuns = 0;
  #online: boolean | undefined;
  #timers: NodeJS.Timeout[] = [];
  #wakeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void)[] = [];
  /** The storage failure that stopped delivery, until every unrecorded outcome is written. */
  #storage: StorageError | null = null;
  /** Outcomes received but not yet written, by job id: retried, and their jobs never resent. */
  readonly #unrecorded = new Map<string, () => DeliveryOutcome>();
  #storageTimer: NodeJS.Timeout | undefined;

  constructor(options: DeliveryLoopOptions) {
    this.#store = options.store;
    this.events = options.store.events;
    this.#sender = options.sender;
    this.#secrets = options.secrets;
    this.#connectivity = options.connectivity;
    this.#clock = options.clock ?? systemClock;
    this.#pauses = new VendorPauses(this.#clock);
    this.#policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.#concurrency = options.concurrency ?? {};
    this.#random = options.random ?? Math.random;
    const progress = new DrainProgressReporter(this.events, () =>
      this.#guard(() => this.#store.totals()),
    );
    this.events.on('job-changed', (change) => progress.jobChanged(change));
    // A cool-down runs on the monotonic clock (vendor-pauses.ts); after a jump its end reads
    // differently in wall time: tell the UI the honest one.
    this.events.on('clock-jump', () => {
      for (const pause of this.#pauses.list()) {
        if (pause.until !== null) this.events.emit('vendor-paused', pause);
      }
    });
  }

  /** Recovers interrupted sends, then delivers whenever there is work and a network. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    // Answers an earlier storage failure kept aside first: their jobs must not be requeued.
    this.#guard(() => this.#store.applyUnrecordedResults());
    this.#guard(() => this.#store.recoverInterrupted());
    this.#guard(() => this.#store.sweep());
    this.#unsubscribe.push(this.#connectivity.onChange((online) => this.#setOnline(online)));
    this.#timers.push(
      setInterval(() => this.#guard(() => this.#store.sweep()), this.#policy.sweepIntervalMs),
      // Cool-downs only: credentials are never polled (credentialsChanged is the event).
      setInterval(() => {
        for (const vendor of this.#pauses.expired()) this.#resume(vendor);
      }, this.#policy.cooldownCheckMs),
    );
    this.#guard(() => this.events.emit('totals', this.#store.totals()));
    this.#setOnline(await this.#connectivity.isOnline());
    this.#pump();
  }

  /** Stops claiming, cuts in-flight sends short (their jobs go back to the queue) and waits. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#wakeTimer);
    clearTimeout(this.#storageTimer);
    this.#storageTimer = undefined;
    this.#timers = [];
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight.values()].map((entry) => entry.settled));
    // One last try at writing what is still unrecorded, before the process may exit.
    if (this.#unrecorded.size > 0) this.#recordPending();
  }

  /** The storage failure delivery is stopped on, or null. */
  storageProblem(): StorageProblemEvent | null {
    return this.#storage && this.#storageEvent(this.#storage);
  }

  /** Look for work now, e.g. right after this process enqueued a job. */
  wake(): void {
    if (this.#running) this.#pump();
  }

  /**
   * Sends every job due now and waits until none is left in flight; jobs that fail wait for
   * their next attempt. Works without start(): the CLI's one-shot use, and the tests.
   */
  async deliverDue(): Promise<void> {
    this.#manualRuns += 1;
    try {
      this.#setOnline(await this.#connectivity.isOnline());
      this.#pump();
      while (this.#inFlight.size > 0) {
        await Promise.race([...this.#inFlight.values()].map((entry) => entry.settled));
      }
    } finally {
      this.#manualRuns -= 1;
    }
  }

  /** Runs until every job is delivered or ended, or waits on a paused vendor; then stops. */
  async drain(options: { signal?: AbortSignal } = {}): Promise<DrainSummary> {
    await this.start();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!options.signal?.aborted && !this.#isDrained()) return;
        this.#settledListeners.delete(check);
        options.signal?.removeEventListener('abort', check);
        resolve();
      };
      this.#settledListeners.add(check);
      options.signal?.addEventListener('abort', check);
      check();
    });
    await this.stop();
    const storageProblem = this.storageProblem();
    return {
      // The totals cannot be read from a failing store; what is known is in the problem.
      totals: this.#guard(() => this.#store.totals()) ?? zeroTotals(),
      pausedVendors: this.pausedVendors(),
      cancelled: options.signal?.aborted ?? false,
      storageProblem,
    };
  }

  pausedVendors(): VendorPause[] {
    return this.#pauses.list();
  }

  /** Staff (or the secrets CLI) changed a vendor's credentials: try them at once. */
  credentialsChanged(vendor: VendorId): void {
    if (this.#pauses.waitingForCredentials().includes(vendor)) this.#resume(vendor);
  }

  /** Staff override: resume a paused vendor now (e.g. the quota was raised). */
  resumeVendor(vendor: VendorId): void {
    if (this.#pauses.isPaused(vendor)) this.#resume(vendor);
  }

  /**
   * Ends cool-downs that are over and resumes vendors whose credentials in the keychain differ
   * from the ones refused: one explicit look (the CLI's drain after `secrets set` in another
   * process); the running loop never calls it on a timer.
   */
  async checkPausedVendors(): Promise<void> {
    for (const vendor of this.#pauses.expired()) this.#resume(vendor);
    for (const vendor of this.#pauses.waitingForCredentials()) {
      let current: VendorCredentials;
      try {
        current = await readVendorCredentials(this.#secrets, vendor);
      } catch {
        continue; // still missing, or the keychain is still unavailable
      }
      if (this.#pauses.credentialsChanged(vendor, current)) this.#resume(vendor);
    }
  }

  /**
   * Credentials are read from the keychain at send time; sends that start while a read for
   * the same vendor is under way share it (the value is at most one keychain round trip
   * old). At concurrency 16 this saves most of the keychain's round trips, which cost about
   * 1 ms and, on Linux, 1.3 KiB of native memory libsecret never frees, without keeping
   * credentials between sends.
   */
  readonly #readCredentials = (vendor: VendorId): Promise<VendorCredentials> => {
    let read = this.#credentialReads.get(vendor);
    if (read === undefined) {
      read = readVendorCredentials(this.#secrets, vendor).finally(() =>
        this.#credentialReads.delete(vendor),
      );
      this.#credentialReads.set(vendor, read);
    }
    return read;
  };

  /** Claims due jobs into every free slot of every unpaused vendor. */
  #pump(): void {
    if (!this.#running && this.#manualRuns === 0) return;
    for (const vendor of this.#pauses.expired()) this.#resume(vendor, false);
    // Nothing is claimed while outcomes cannot be recorded: a send now would be lost again.
    if (this.#online && this.#storage === null) {
      for (const vendor of VENDOR_IDS) {
        while (!this.#pauses.isPaused(vendor) && this.#inFlightOf(vendor) < this.#limitOf(vendor)) {
          const job = this.#guard(() =>
            this.#store.claimNext(
              vendor,
              this.owner,
              this.#policy.leaseMs,
              this.#policy.backoff.capMs,
            ),
          );
          if (!job) break;
          this.#launch(job);
        }
      }
    }
    if (this.#running) this.#scheduleWake();
    for (const listener of [...this.#settledListeners]) listener();
  }

  #launch(job: Job): void {
    const context = {
      store: this.#store,
      sender: this.#sender,
      readCredentials: this.#readCredentials,
      owner: this.owner,
      policy: this.#policy,
      clock: this.#clock,
      random: this.#random,
      signal: this.#abort.signal,
    };
    const settled = deliverJob(job, context)
      .then((outcome) => this.#apply(outcome, job.id))
      .catch((error: unknown) => this.#problem(error))
      .finally(() => {
        this.#inFlight.delete(job.id);
        this.#pump();
      });
    this.#inFlight.set(job.id, { vendor: job.vendor, settled });
  }

  #apply(outcome: DeliveryOutcome, jobId: string): void {
    if (outcome.kind === 'storage') {
      if (outcome.record) this.#unrecorded.set(jobId, outcome.record);
      // Should this process end before the write succeeds, the next one stores the answer
      // from the side file instead of sending the job again.
      if (outcome.answer) {
        saveUnrecordedResult(this.#store.file, { jobId, result: outcome.answer });
      }
      this.#storageFailed(outcome.error);
      return;
    }
    if (outcome.kind === 'pause-vendor' && !this.#pauses.isPaused(outcome.pause.vendor)) {
      this.#pauses.pause(outcome.pause, outcome.refused);
      this.events.emit('vendor-paused', outcome.pause);
    }
    if (outcome.kind === 'retry' && outcome.networkError) {
      // A network error is a hint the link is down: ask now rather than at the next poll.
      void this.#connectivity.isOnline().then(
        (online) => this.#setOnline(online),
        (error: unknown) => this.#problem(error),
      );
    }
  }

  #resume(vendor: VendorId, pump = true): void {
    if (!this.#pauses.resume(vendor)) return;
    this.events.emit('vendor-resumed', { vendor });
    if (pump) this.#pump();
  }

  #setOnline(online: boolean): void {
    if (online === this.#online) return;
    const wasOffline = this.#online === false;
    this.#online = online;
    this.events.emit('connectivity', { online });
    if (online && wasOffline) this.#guard(() => this.#store.makeNetworkRetriesDue());
    if (online) this.#pump();
  }

  /** Sleeps until the next retry falls due, a cool-down ends, or the idle poll (other processes' jobs). */
  #scheduleWake(): void {
    clearTimeout(this.#wakeTimer);
    const now = this.#clock.now();
    let at = now + this.#policy.idlePollMs;
    for (const vendor of VENDOR_IDS) {
      if (this.#pauses.isPaused(vendor)) continue;
      const due = this.#guard(() => this.#store.nextWakeAt(vendor, this.owner));
      if (due !== null && due !== undefined) at = Math.min(at, due);
    }
    const coolDownEnd = this.#pauses.nextExpiry();
    if (coolDownEnd !== null) at = Math.min(at, coolDownEnd);
    this.#wakeTimer = setTimeout(() => this.#pump(), Math.max(0, at - now));
  }

  #isDrained(): boolean {
    if (this.#inFlight.size > 0) return false;
    // A drain ends at a storage failure: it cannot go on without resending.
    if (this.#storage !== null) return true;
    return VENDOR_IDS.every(
      (vendor) =>
        this.#pauses.isPaused(vendor) || this.#guard(() => this.#store.pendingCount(vendor)) === 0,
    );
  }

  #inFlightOf(vendor: VendorId): number {
    let count = 0;
    for (const entry of this.#inFlight.values()) if (entry.vendor === vendor) count += 1;
    return count;
  }

  #limitOf(vendor: VendorId): number {
    return Math.max(1, this.#concurrency[vendor] ?? this.#policy.concurrencyPerVendor);
  }

  /** Runs a store call; a failure (e.g. the file is locked too long) is reported, not thrown. */
  #guard<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      const storage = storageErrorOf(error, this.#store.file);
      if (storage) this.#storageFailed(storage);
      else this.#problem(error);
      return undefined;
    }
  }

  /** Delivery stops at once; staff are told; the unrecorded outcomes' writes are retried. */
  #storageFailed(error: StorageError): void {
    const first = this.#storage === null;
    this.#storage = error;
    clearTimeout(this.#wakeTimer);
    if (first || this.#unrecorded.size > 0) {
      this.events.emit('storage-problem', this.#storageEvent(error));
    }
    if (this.#running && this.#storageTimer === undefined) {
      this.#storageTimer = setTimeout(() => {
        this.#storageTimer = undefined;
        this.#recordPending();
      }, this.#policy.storageRetryMs);
    }
  }

  /** Writes the unrecorded outcomes; when all are written, delivery resumes. */
  #recordPending(): void {
    for (const [jobId, record] of [...this.#unrecorded]) {
      let outcome: DeliveryOutcome;
      try {
        outcome = record();
      } catch (error) {
        const storage = storageErrorOf(error, this.#store.file);
        if (storage) {
          this.#storageFailed(storage);
          return;
        }
        this.#problem(error);
        continue;
      }
      this.#unrecorded.delete(jobId);
      this.#apply(outcome, jobId);
    }
    if (this.#storage === null) return;
    const { file } = this.#storage;
    this.#storage = null;
    // What the side file kept is in the database now.
    this.#guard(() => this.#store.applyUnrecordedResults());
    this.events.emit('storage-recovered', { file });
    // Claims resume; if the storage still fails, the first claim says so again.
    this.#pump();
  }

  #storageEvent(error: StorageError): StorageProblemEvent {
    return {
      problem: error.problem,
      file: error.file,
      message: error.message,
      unrecorded: this.#unrecorded.size,
    };
  }

  #problem(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.events.emit('delivery-problem', { message });
  }
}
