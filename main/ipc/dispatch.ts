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
import { isQueueError } from '../queue/queue-errors.js';
import { isSecretStoreError } from '../secrets/secret-store.js';
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

function knownFailure(error: unknown): CommandError | null {
  if (isQueueError(error)) {
    if (error.code === 'not-found') return { code: 'not-found', message: error.message };
    if (error.code === 'invalid-state') return { code: 'invalid-state', message: error.message };
  }
  if (
    isSecretStoreError(error) &&
    (error.code === 'keychain-unavailable' || error.code === 'keychain-locked')
  ) {
    return { code: 'unavailable', message: error.message };
  }
  return null;
}

function failure(code: CommandError['code'], message: string): { ok: false; error: CommandError } {
  return { ok: false, error: { code, message } };
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
