/**
 * A staff console command refused before it ran: nobody is signed in (the console signed out
 * after two idle minutes, or a customer's way started), or staff typed something the kiosk
 * cannot use. Mapped to the border's codes by main/failures/describe-failure.ts.
 */
export type ConsoleErrorCode = 'signed-out' | 'bad-input' | 'invalid-state';

export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
  readonly retryable = false;

  constructor(
    readonly code: ConsoleErrorCode = 'signed-out',
    message = 'The staff console signed out. Sign in again with the staff PIN.',
  ) {
    super(message);
  }

  toJSON(): { code: ConsoleErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isConsoleError(value: unknown): value is ConsoleError {
  return value instanceof ConsoleError;
}
