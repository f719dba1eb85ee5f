/**
 * A customer-session command that does not fit where the session is: a frame for a session
 * that has ended, a picture of a role the session does not take, a verify before every picture
 * is taken, a second verify while one is sending. The UI sees 'invalid-state' and goes on.
 */
export const SESSION_ERROR_CODES = ['no-session', 'wrong-role', 'missing-picture', 'busy'] as const;
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly code: SessionErrorCode;
  readonly retryable = false;

  constructor(code: SessionErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: SessionErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isSessionError(value: unknown): value is SessionError {
  return value instanceof SessionError;
}
