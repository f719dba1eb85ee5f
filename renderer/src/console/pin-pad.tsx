/**
 * The PIN as typed: masked dots, a big digit keypad for the touch screen, and the keyboard's
 * digits, Backspace and Enter as well. The digits never reach the DOM (no <input>): a PIN is
 * not something the page should be able to autofill or show.
 */
import { useEffect, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { useConsoleWords } from './format.js';

export const PIN_MIN = 6;
export const PIN_MAX = 12;

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

interface PinPadProps {
  pin: string;
  /** A state setter: digits typed faster than React renders each add to the latest PIN. */
  setPin: Dispatch<SetStateAction<string>>;
  onSubmit(): void;
  submitLabel: string;
  disabled: boolean;
  /** Below the Sign in button: Cancel. */
  children?: ReactNode;
}

export function PinPad({ pin, setPin, onSubmit, submitLabel, disabled, children }: PinPadProps) {
  const { t } = useConsoleWords();
  const type = (digit: string): void => {
    if (!disabled) setPin((now) => (now.length < PIN_MAX ? now + digit : now));
  };
  const erase = (): void => setPin((now) => now.slice(0, -1));

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (/^[0-9]$/.test(event.key)) {
        event.preventDefault();
        const digit = event.key;
        if (!disabled) setPin((now) => (now.length < PIN_MAX ? now + digit : now));
      } else if (event.key === 'Backspace') {
        event.preventDefault();
        erase();
      } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        if (!disabled && pin.length >= PIN_MIN) onSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pin, setPin, onSubmit, disabled]);

  return (
    <div className="pin-pad">
      <div className="pin-dots" data-testid="pin-dots" aria-hidden="true">
        {Array.from({ length: Math.max(PIN_MIN, pin.length) }, (_, i) => (
          <span key={i} className={i < pin.length ? 'pin-dot pin-dot-on' : 'pin-dot'} />
        ))}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {t('pin.digits', { count: pin.length })}
      </p>
      <div className="pin-keys" role="group" aria-label={t('pin.keypad')}>
        {KEYS.map((digit) => (
          <button
            key={digit}
            type="button"
            className="pin-key"
            data-testid={`pin-key-${digit}`}
            disabled={disabled}
            onClick={() => type(digit)}
          >
            {digit}
          </button>
        ))}
        <button
          type="button"
          className="pin-key pin-key-word"
          data-testid="pin-clear"
          disabled={disabled || pin === ''}
          onClick={() => setPin('')}
        >
          {t('pin.clear')}
        </button>
        <button
          type="button"
          className="pin-key"
          data-testid="pin-key-0"
          disabled={disabled}
          onClick={() => type('0')}
        >
          0
        </button>
        <button
          type="button"
          className="pin-key pin-key-word"
          data-testid="pin-delete"
          disabled={disabled || pin === ''}
          onClick={erase}
          aria-label={t('pin.delete')}
        >
          ⌫
        </button>
      </div>
      <button
        type="button"
        className="cbutton cbutton-primary pin-submit"
        data-testid="pin-submit"
        disabled={disabled || pin.length < PIN_MIN}
        onClick={onSubmit}
      >
        {submitLabel}
      </button>
      {children}
    </div>
  );
}
