/**
 * The way into the console: on the first start staff choose the PIN (twice) and are signed
 * in; after that they enter it. A wrong PIN says how many tries are left; a locked console
 * says until when, counting down, and takes no digits until then.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StaffStatus } from '../../../preload/contract.js';
import { attempt, useConsole } from './console-context.js';
import { useConsoleWords } from './format.js';
import { PinPad } from './pin-pad.js';

interface PinScreenProps {
  status: StaffStatus;
  onSignedIn(): void;
  onCancel(): void;
  /** Read the status again (the lock-out ended). */
  onStatus(status: StaffStatus): void;
}

type Step = 'enter' | 'choose' | 'repeat';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function PinScreen({ status, onSignedIn, onCancel, onStatus }: PinScreenProps) {
  const context = useConsole();
  const { t, formats } = useConsoleWords();
  const [step, setStep] = useState<Step>(status.pinSet ? 'enter' : 'choose');
  const [pin, setPin] = useState('');
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lockedUntil, setLockedUntil] = useState<number | null>(status.lockedUntil);
  const now = useNow(lockedUntil !== null);
  const locked = lockedUntil !== null && lockedUntil > now;

  useEffect(() => setLockedUntil(status.lockedUntil), [status.lockedUntil]);

  // The lock-out is over: ask again how many tries there are.
  useEffect(() => {
    if (lockedUntil === null || lockedUntil > now) return;
    setLockedUntil(null);
    setMessage(null);
    void attempt(context, (api) => api.staffStatus()).then((answer) => {
      if (answer.ok) onStatus(answer.value);
    });
  }, [lockedUntil, now, context, onStatus]);

  const submit = useCallback(async () => {
    if (busy) return;
    if (step === 'choose') {
      setChosen(pin);
      setPin('');
      setMessage(null);
      setStep('repeat');
      return;
    }
    if (step === 'repeat') {
      if (pin !== chosen) {
        setPin('');
        setChosen('');
        setMessage(t('pin.mismatch'));
        setStep('choose');
        return;
      }
      setBusy(true);
      const answer = await attempt(context, (api) => api.setFirstPin(pin));
      setBusy(false);
      setPin('');
      if (answer.ok) onSignedIn();
      else {
        setChosen('');
        setStep('choose');
        // The main process says why in staff's words (too short, too easy to guess).
        setMessage(answer.failure.message);
      }
      return;
    }
    setBusy(true);
    const answer = await attempt(context, (api) => api.signIn(pin));
    setBusy(false);
    setPin('');
    if (!answer.ok) {
      setMessage(t('pin.failed', { message: answer.failure.message }));
      return;
    }
    const result = answer.value;
    if (result.ok) onSignedIn();
    else if (result.reason === 'locked' && result.lockedUntil !== null) {
      setLockedUntil(result.lockedUntil);
      setMessage(null);
    } else {
      setMessage(t('pin.wrong', { tries: result.triesLeft ?? 0 }));
    }
  }, [busy, step, pin, chosen, context, onSignedIn, t]);

  const prompt =
    step === 'enter' ? t('pin.enter') : step === 'choose' ? t('pin.choose') : t('pin.repeat');
  const submitLabel =
    step === 'enter'
      ? t('pin.submit')
      : step === 'choose'
        ? t('pin.submit-first')
        : t('pin.submit-repeat');

  return (
    <main className="console-pin" data-screen="staff-pin" data-step={step}>
      <div className="console-pin-text">
        <h1 tabIndex={-1}>{t('pin.title')}</h1>
        <p className="console-pin-prompt" data-testid="pin-prompt">
          {prompt}
        </p>
        {step === 'choose' ? <p className="console-hint">{t('pin.choose-hint')}</p> : null}
        <div role="alert" className="console-pin-message" data-testid="pin-message">
          {locked ? (
            <>
              <p>{t('pin.locked', { time: formats.time(lockedUntil) })}</p>
              <p data-testid="pin-countdown">
                {t('pin.locked-countdown', { remaining: countdown(lockedUntil - now) })}
              </p>
            </>
          ) : message !== null ? (
            <p>{message}</p>
          ) : null}
        </div>
      </div>
      <PinPad
        pin={pin}
        setPin={setPin}
        onSubmit={() => void submit()}
        submitLabel={submitLabel}
        disabled={busy || locked}
      >
        <button
          type="button"
          className="cbutton cbutton-secondary pin-cancel"
          data-testid="pin-cancel"
          onClick={onCancel}
        >
          {t('pin.cancel')}
        </button>
      </PinPad>
    </main>
  );
}
