/** Errors the command line raises about its own input, printed like vendor errors. */
export type CliErrorCode = 'usage' | 'input';

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly retryable = false;
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { code: CliErrorCode; message: string; retryable: false } {
    return { code: this.code, message: this.message, retryable: false };
  }
}

export function usageError(message: string): CliError {
  return new CliError('usage', message);
}
