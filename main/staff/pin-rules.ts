/**
 * What a staff PIN may be: 6 to 12 ASCII digits, and not one of the handful anyone tries first.
 * Six digits is the shortest that, with five tries per five-minute lock, takes a guesser at
 * the kiosk years (10^6 PINs / 5 tries per 5 min ≈ 700 days); twelve is as long as a clerk
 * will type on a touch keypad. The refusals name the rule, never the PIN.
 */
import { StaffError } from './staff-errors.js';

export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;

const PIN_FORMAT = /^[0-9]{6,12}$/;

/** True when the text is 6 to 12 ASCII digits (not whether it is strong enough). */
export function isPinFormat(pin: unknown): pin is string {
  return typeof pin === 'string' && PIN_FORMAT.test(pin);
}

/** Throws 'invalid-pin' or 'weak-pin' with what to do instead; returns for a usable new PIN. */
export function assertUsablePin(pin: unknown): asserts pin is string {
  if (!isPinFormat(pin)) {
    throw new StaffError(
      'invalid-pin',
      `The staff PIN must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits (0-9), with no ` +
        'letters, spaces or other characters. Enter a new one.',
    );
  }
  const weakness = weaknessOf(pin);
  if (weakness !== null) {
    throw new StaffError(
      'weak-pin',
      `That PIN is too easy to guess: it is ${weakness}. Choose digits without a pattern ` +
        '(not one digit repeated like 111111, not a run like 123456 or 654321, not a group ' +
        'repeated like 121212).',
    );
  }
}

/** Why a well-formed PIN is too easy to guess, or null. */
function weaknessOf(pin: string): string | null {
  const digits = [...pin].map(Number);
  if (digits.every((digit) => digit === digits[0])) return 'one digit repeated';
  // A straight run up or down, wrapping from 9 to 0 (789012) or 0 to 9 (210987).
  for (const step of [1, 9]) {
    if (digits.every((digit, i) => i === 0 || digit === (digits[i - 1]! + step) % 10)) {
      return step === 1 ? 'a run of digits going up' : 'a run of digits going down';
    }
  }
  // A group of digits said again and again: 121212, 123123, 12341234, 100100100100.
  for (let size = 2; size <= pin.length / 2; size += 1) {
    if (pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin) {
      return 'a group of digits repeated';
    }
  }
  return null;
}
