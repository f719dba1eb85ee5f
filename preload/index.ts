/**
 * The border: exposes the contract as window.kiosk through contextBridge. Nothing else — no
 * raw ipcRenderer, no Node — reaches the renderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CommandName, CommandOutput, KioskApi } from './contract.js';

function invoke<C extends CommandName>(channel: C, input?: unknown): Promise<CommandOutput<C>> {
  return ipcRenderer.invoke(channel, input) as Promise<CommandOutput<C>>;
}

const kiosk: KioskApi = {
  getInfo: () => invoke('app:get-info'),
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
