/**
 * What every part of the console shares: the kiosk api, and what to do when the main process
 * says nobody is signed in any more (show the PIN screen again). `attempt` runs one command
 * and turns its failure into a value with a message staff can read.
 */
import { createContext, useContext } from 'react';
import type { KioskApi } from '../../../preload/contract.js';
import type { CommandErrorCode } from '../../../preload/border.js';
import { errorCodeOf } from '../api-errors.js';

export interface ConsoleContextValue {
  api: KioskApi;
  /** A command answered 'signed-out' (idle in the main process): back to the PIN. */
  signedOut(): void;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (value === null) throw new Error('useConsole outside the staff console');
  return value;
}

export interface Failure {
  code: CommandErrorCode | null;
  /** The main process's message (written for staff), or the error's own. */
  message: string;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };

function failureOf(error: unknown): Failure {
  const message =
    typeof error === 'object' && error !== null && 'message' in error
      ? String((error as { message: unknown }).message)
      : String(error);
  return { code: errorCodeOf(error), message };
}

/** Runs one console command; a signed-out answer also sends staff back to the PIN screen. */
export async function attempt<T>(
  context: ConsoleContextValue,
  work: (api: KioskApi) => Promise<T>,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work(context.api) };
  } catch (error) {
    const failure = failureOf(error);
    if (failure.code === 'signed-out') context.signedOut();
    return { ok: false, failure };
  }
}
