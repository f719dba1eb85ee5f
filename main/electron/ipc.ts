/**
 * Registers every contract command with ipcMain. Each handler checks the sender (only our own
 * app:// pages) and validates its input with the contract's schema before any service runs.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { COMMANDS, type CommandName, type CommandOutput } from '../../preload/contract.js';
import { APP_ORIGIN } from './app-protocol.js';

type Handlers = {
  [C in CommandName]: (input: unknown) => Promise<CommandOutput<C>> | CommandOutput<C>;
};

function fromOurPages(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function registerIpc(handlers: Handlers): void {
  for (const channel of Object.keys(COMMANDS) as CommandName[]) {
    const schema = COMMANDS[channel];
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!fromOurPages(event)) throw new Error(`Refused ${channel} from an untrusted page.`);
      const input = schema.input.parse(raw);
      return schema.output.parse(await handlers[channel](input));
    });
  }
}
