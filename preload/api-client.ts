/**
 * window.kiosk built over any transport: one typed function per contract command. The preload
 * gives it Electron's IPC; the browser harness's client (renderer/src/harness/) a WebSocket.
 * No zod here (type imports only), so the sandboxed preload bundle stays small.
 */
import type { CommandInput, CommandName, CommandOutput, KioskApi, KioskEvent } from './contract.js';

/** Sends one command and resolves with its output, or rejects with a KioskApiError. */
export type Invoke = <C extends CommandName>(
  channel: C,
  input?: CommandInput<C>,
) => Promise<CommandOutput<C>>;

/** Subscribes to the event channel; returns the unsubscribe function. */
export type Subscribe = (listener: (event: KioskEvent) => void) => () => void;

export function createKioskApi(invoke: Invoke, subscribe: Subscribe): KioskApi {
  return {
    getInfo: () => invoke('app:get-info'),
    getSecretStatus: () => invoke('secrets:get-status'),
    getQueueStatus: () => invoke('queue:get-status'),
    listJobs: (limit) => invoke('queue:list-jobs', { limit }),
    findJob: (ref) => invoke('queue:find-job', ref),
    retryJob: (id) => invoke('queue:retry-job', { id }),
    discardJob: (id) => invoke('queue:discard-job', { id }),
    resumeVendor: (vendor) => invoke('queue:resume-vendor', { vendor }),
    getConfig: () => invoke('kiosk:get-config'),
    rememberCamera: (label) => invoke('kiosk:remember-camera', { label }),
    declineConsent: (input) => invoke('consent:decline', input),
    startSession: (input) => invoke('session:start', input),
    analyzeFrame: (input) => invoke('session:analyze-frame', input),
    capture: (input) => invoke('session:capture', input),
    verify: (sessionId) => invoke('session:verify', { sessionId }),
    cancelVerification: (sessionId) => invoke('session:cancel', { sessionId }),
    endSession: (sessionId) => invoke('session:end', { sessionId }),
    listPage: (input) => invoke('queue:list-page', input),
    staffStatus: () => invoke('staff:get-status'),
    setFirstPin: (pin) => invoke('staff:set-first-pin', { pin }),
    signIn: (pin) => invoke('staff:sign-in', { pin }),
    signOut: () => invoke('staff:sign-out'),
    staffActivity: () => invoke('staff:activity'),
    getSettings: () => invoke('settings:get'),
    updateSettings: (patch) => invoke('settings:update', patch),
    getCredentials: () => invoke('credentials:get'),
    setCredentials: (input) => invoke('credentials:set', input),
    removeCredentials: (vendor) => invoke('credentials:remove', { vendor }),
    testConnection: (vendor) => invoke('credentials:test', { vendor }),
    verifyAudit: () => invoke('audit:verify'),
    exportAudit: (range) => invoke('audit:export', range),
    saveDiagnostics: () => invoke('diagnostics:save'),
    quitApp: () => invoke('app:quit'),
    onEvent: subscribe,
  };
}
