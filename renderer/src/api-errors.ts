/**
 * The code of a failed kiosk command. Read by shape, not by `instanceof KioskApiError`: an
 * error that crossed Electron's contextBridge or a WebSocket is a copy, not our class.
 */
import { COMMAND_ERROR_CODES, type CommandErrorCode } from '../../preload/border.js';

export function errorCodeOf(error: unknown): CommandErrorCode | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = error.code;
  return (COMMAND_ERROR_CODES as readonly unknown[]).includes(code)
    ? (code as CommandErrorCode)
    : null;
}

/** The customer's session is gone or our request was refused: start again from the beginning. */
export function isSessionProblem(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === 'invalid-state' || code === 'bad-input';
}
