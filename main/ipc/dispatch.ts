/**
 * One command crossing the border: the channel must be in the contract, the input must match
 * its schema, and the answer is checked (and trimmed to the contract's fields) on its way out.
 * Failures come back as a typed CommandError, never as a thrown error (Electron would flatten
 * it to text); a bug is reported to `onInternalError` and the renderer learns only its kind.
 */
import type { ZodError } from 'zod';
import {
  COMMANDS,
  type CommandError,
  type CommandName,
  type CommandResult,
} from '../../preload/contract.js';
import { describeFailure } from '../failures/describe-failure.js';
import type { CommandHandlers } from './kiosk-commands.js';

export async function dispatchCommand<C extends CommandName>(
  handlers: CommandHandlers,
  channel: C,
  raw: unknown,
  onInternalError: (channel: CommandName, error: unknown) => void,
): Promise<CommandResult<C>> {
  const schema = COMMANDS[channel];
  const input = schema.input.safeParse(raw);
  if (!input.success) {
    return failure('bad-input', `${channel}: ${describeZodError(input.error)}`);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    const output = schema.output.parse(await handler(input.data));
    return { ok: true, value: output } as CommandResult<C>;
  } catch (error) {
    const known = knownFailure(error);
    if (known) return { ok: false, error: known };
    onInternalError(channel, error);
    return failure(
      'internal',
      `${channel} failed inside the kiosk; the event log has the details.`,
    );
  }
}

/** A typed failure of the services, as the UI sees it (describe-failure.ts), or null: a bug. */
function knownFailure(error: unknown): CommandError | null {
  const known = describeFailure(error);
  return known && { code: known.border, message: known.message, retryable: known.retryable };
}

function failure(code: CommandError['code'], message: string): { ok: false; error: CommandError } {
  return { ok: false, error: { code, message, retryable: false } };
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
