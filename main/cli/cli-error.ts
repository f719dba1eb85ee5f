/** Errors the command line raises about its own input, printed like vendor errors. */
export type CliErrorCode =
  | 'usage'
  | 'input'
  /** --data-dir names a folder that holds no queue. */
  | 'no-queue'
  /** The port a server must listen on is taken. */
  | 'port-in-use'
  /** An output file cannot be written where asked. */
  | 'output';

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
