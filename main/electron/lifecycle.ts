/**
 * The app's lifecycle decisions, pure so they are unit-tested: development or a locked-down
 * kiosk, whether the window may close, quitting only after the queue has closed (with a
 * deadline), and the optional start at login.
 */

/**
 * Development: an unpackaged run (npm start), unless KIOSK_VERIFY_LOCKDOWN=1 asks for the
 * production lock-down to try it out. A packaged app is never in development.
 */
export function isDevelopment(isPackaged: boolean, env: NodeJS.ProcessEnv): boolean {
  return !isPackaged && env.KIOSK_VERIFY_LOCKDOWN !== '1';
}

/**
 * Whether the kiosk window may close now. Alt+F4, a window manager's close or a stray
 * window.close() must not end the kiosk: it closes only while the app quits (the staff
 * console's quit, the OS shutting down, SIGTERM from a service manager).
 */
export function mayCloseWindow(quitting: boolean, development: boolean): boolean {
  return quitting || development;
}

export interface QuitSequenceOptions {
  /** Closes the kiosk: the delivery loop stops, the queue and the audit trail close. */
  close: () => Promise<void>;
  /** Ends the process without running before-quit again (app.exit). */
  exit: (code: number) => void;
  log: (event: string, details: Record<string, string | number | boolean>) => void;
  /**
   * How long the queue may take to close. SQLite's close is milliseconds; a vendor call in
   * flight is abandoned by the loop's stop. 10 s is far beyond that, and well inside the 90 s a
   * service manager or an OS shutdown waits before killing the process.
   */
  timeoutMs?: number;
  setTimeout?: (run: () => void, ms: number) => unknown;
}

/**
 * `before-quit` holds the quit (preventDefault) until the kiosk has closed, then exits. A
 * second before-quit while closing is held too; the close runs once.
 */
export class QuitSequence {
  readonly #options: QuitSequenceOptions;
  #closing: Promise<void> | null = null;

  constructor(options: QuitSequenceOptions) {
    this.#options = options;
  }

  get quitting(): boolean {
    return this.#closing !== null;
  }

  /** The before-quit listener. */
  beforeQuit(event: { preventDefault(): void }): void {
    event.preventDefault();
    this.#closing ??= this.#run();
  }

  /** Resolves when the process has been told to exit (for tests). */
  get done(): Promise<void> | null {
    return this.#closing;
  }

  async #run(): Promise<void> {
    const { close, exit, log } = this.#options;
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const later = this.#options.setTimeout ?? ((run, ms) => setTimeout(run, ms));
    const outcome = await new Promise<'closed' | 'timed-out' | 'failed'>((resolve) => {
      later(() => resolve('timed-out'), timeoutMs);
      close().then(
        () => resolve('closed'),
        (error: unknown) => {
          log('quit-close-failed', {
            message: error instanceof Error ? error.message : String(error),
          });
          resolve('failed');
        },
      );
    });
    if (outcome === 'timed-out') log('quit-close-timed-out', { timeoutMs });
    exit(outcome === 'closed' ? 0 : 1);
  }
}

/**
 * The start-at-login wish from the command line or the environment, or null to leave the OS
 * setting as it is: `--start-at-login` / `--no-start-at-login`, or KIOSK_VERIFY_START_AT_LOGIN
 * set to 1 or 0 (the command line wins). Windows and macOS only (app.setLoginItemSettings);
 * Linux uses a systemd user unit or an XDG autostart entry (main/electron/README.md).
 */
export function startAtLoginWish(argv: readonly string[], env: NodeJS.ProcessEnv): boolean | null {
  if (argv.includes('--no-start-at-login')) return false;
  if (argv.includes('--start-at-login')) return true;
  const value = env.KIOSK_VERIFY_START_AT_LOGIN;
  if (value === '1') return true;
  if (value === '0') return false;
  return null;
}
