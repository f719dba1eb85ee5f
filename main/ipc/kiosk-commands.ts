/**
 * What each contract command does, over the services: plain Node, so every command runs in
 * tests without Electron. main/electron/ipc.ts registers them through dispatchCommand.
 */
import type {
  AppInfo,
  CommandInput,
  CommandName,
  CommandOutput,
  KioskConfig,
} from '../../preload/contract.js';
import type { ConsoleHandlers } from './console-commands.js';
import type { CustomerSessions } from '../session/customer-sessions.js';

export type CommandHandlers = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>> | CommandOutput<C>;
};

/** The customer's way and the app's info; the staff console's are in console-commands.ts. */
export type KioskHandlers = Omit<CommandHandlers, keyof ConsoleHandlers>;

export interface KioskCommandDeps {
  /** The app's version and platform, and whether it runs in training mode. */
  appInfo: () => Promise<AppInfo> | AppInfo;
  /** The customer's session: pictures, guidance, the verification. */
  sessions: CustomerSessions;
  /** What the customer's way through needs of the settings, read afresh each time. */
  kioskConfig: () => Promise<KioskConfig> | KioskConfig;
  /** Keeps the camera that worked, by label, for the next customer and the next start. */
  rememberCamera: (label: string) => void;
}

export function createKioskCommands(deps: KioskCommandDeps): KioskHandlers {
  const { sessions } = deps;
  return {
    'app:get-info': () => deps.appInfo(),
    'kiosk:get-config': () => deps.kioskConfig(),
    'kiosk:remember-camera': ({ label }) => {
      deps.rememberCamera(label);
      return null;
    },
    'consent:decline': ({ kind, language }) => {
      sessions.decline(kind, language);
      return null;
    },
    'session:start': ({ kind, language, consentVersion }) =>
      sessions.start(kind, language, consentVersion),
    'session:analyze-frame': ({ sessionId, role, frame }) =>
      sessions.analyzeFrame(sessionId, role, frame),
    'session:capture': ({ sessionId, role, frame }) => sessions.capture(sessionId, role, frame),
    'session:verify': ({ sessionId }) => sessions.verify(sessionId),
    'session:cancel': ({ sessionId }) => {
      sessions.cancel(sessionId);
      return null;
    },
    'session:end': ({ sessionId }) => {
      sessions.end(sessionId);
      return null;
    },
  };
}
