/**
 * The border: exposes the contract as window.kiosk through contextBridge. Nothing else — no
 * raw ipcRenderer, no Node — reaches the renderer. A failed command rejects with a plain
 * { name, code, message, retryable } object: contextBridge copies an Error with its message
 * only, so the code would be lost (the renderer reads it by shape, api-errors.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createKioskApi } from './api-client.js';
import { EVENT_CHANNEL, type CommandError } from './border.js';
import type { CommandName, CommandResult, KioskEvent } from './contract.js';

const kiosk = createKioskApi(
  async (channel, input) => {
    const result = (await ipcRenderer.invoke(channel, input)) as CommandResult<CommandName>;
    if (!result.ok) return Promise.reject(rejection(result.error));
    return result.value as never;
  },
  (listener) => {
    const handler = (_event: IpcRendererEvent, payload: KioskEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
);

/** What survives contextBridge: a plain object, every field a string or a boolean. */
function rejection(error: CommandError) {
  return {
    name: 'KioskApiError',
    code: error.code,
    message: error.message,
    retryable: error.retryable,
  };
}

contextBridge.exposeInMainWorld('kiosk', kiosk);
