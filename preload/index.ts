/**
 * The border: exposes the contract as window.kiosk through contextBridge. Nothing else — no
 * raw ipcRenderer, no Node — reaches the renderer. A failed command rejects with a
 * KioskApiError whose code says what kind of failure it was.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createKioskApi } from './api-client.js';
import { EVENT_CHANNEL, KioskApiError } from './border.js';
import type { CommandName, CommandResult, KioskEvent } from './contract.js';

const kiosk = createKioskApi(
  async (channel, input) => {
    const result = (await ipcRenderer.invoke(channel, input)) as CommandResult<CommandName>;
    if (!result.ok) throw new KioskApiError(result.error);
    return result.value as never;
  },
  (listener) => {
    const handler = (_event: IpcRendererEvent, payload: KioskEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
);

contextBridge.exposeInMainWorld('kiosk', kiosk);
