/**
 * The border: exposes the contract as window.kiosk through contextBridge. Nothing else — no
 * raw ipcRenderer, no Node — reaches the renderer. A failed command rejects with a
 * KioskApiError whose code says what kind of failure it was.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, KioskApiError } from './border.js';
import type {
  CommandInput,
  CommandName,
  CommandOutput,
  CommandResult,
  KioskApi,
  KioskEvent,
} from './contract.js';

async function invoke<C extends CommandName>(
  channel: C,
  input?: CommandInput<C>,
): Promise<CommandOutput<C>> {
  const result = (await ipcRenderer.invoke(channel, input)) as CommandResult<C>;
  if (!result.ok) throw new KioskApiError(result.error);
  return result.value;
}

const kiosk: KioskApi = {
  getInfo: () => invoke('app:get-info'),
  getSecretStatus: () => invoke('secrets:get-status'),
  getQueueStatus: () => invoke('queue:get-status'),
  listJobs: (limit) => invoke('queue:list-jobs', { limit }),
  findJob: (ref) => invoke('queue:find-job', ref),
  retryJob: (id) => invoke('queue:retry-job', { id }),
  discardJob: (id) => invoke('queue:discard-job', { id }),
  resumeVendor: (vendor) => invoke('queue:resume-vendor', { vendor }),
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, payload: KioskEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
