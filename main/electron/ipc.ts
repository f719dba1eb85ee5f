/**
 * Registers every contract command with ipcMain and forwards the queue's events to the window.
 * Each command checks its sender (only our own app:// pages); dispatchCommand (plain Node, in
 * main/ipc/) validates input and output and turns failures into typed errors.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { COMMANDS, EVENT_CHANNEL, type CommandName } from '../../preload/contract.js';
import { dispatchCommand } from '../ipc/dispatch.js';
import type { CommandHandlers } from '../ipc/kiosk-commands.js';
import type { Kiosk } from '../kiosk.js';
import { isTrustedSender } from './sender-check.js';

export function registerIpc(
  handlers: CommandHandlers,
  onInternalError: (channel: CommandName, error: unknown) => void,
  onRefused: (channel: CommandName) => void = () => undefined,
): void {
  for (const channel of Object.keys(COMMANDS) as CommandName[]) {
    ipcMain.handle(channel, (event, raw: unknown) => {
      // The sender first (sender-check.ts), before anything reads the payload.
      if (!isTrustedSender(event.senderFrame)) {
        onRefused(channel);
        throw new Error(`Refused ${channel} from an untrusted page.`);
      }
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
