/**
 * Registers every contract command with ipcMain and forwards the queue's events to the window.
 * Each command checks its sender (only our own app:// pages); dispatchCommand (plain Node, in
 * main/ipc/) validates input and output and turns failures into typed errors.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { COMMANDS, EVENT_CHANNEL, type CommandName } from '../../preload/contract.js';
import { dispatchCommand } from '../ipc/dispatch.js';
import type { CommandHandlers } from '../ipc/kiosk-commands.js';
import type { Kiosk } from '../kiosk.js';
import { APP_ORIGIN } from './app-protocol.js';

function fromOurPages(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function registerIpc(
  handlers: CommandHandlers,
  onInternalError: (channel: CommandName, error: unknown) => void,
): void {
  for (const channel of Object.keys(COMMANDS) as CommandName[]) {
    ipcMain.handle(channel, (event, raw: unknown) => {
      if (!fromOurPages(event)) throw new Error(`Refused ${channel} from an untrusted page.`);
      return dispatchCommand(handlers, channel, raw, onInternalError);
    });
  }
}

/** Sends every kiosk event (queue and customer session) to the window while it is open. */
export function forwardKioskEvents(window: BrowserWindow, kiosk: Kiosk): void {
  const stop = kiosk.onEvent((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  window.once('closed', stop);
}
