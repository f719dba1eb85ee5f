/**
 * The staff console, as the machine's `staff` state shows it: the PIN first (or choosing one,
 * on the first start), then the console. Whenever a command answers 'signed-out' (the main
 * process's two idle minutes) the PIN screen comes back; Close and Sign out go back to the
 * attract screen (the machine signs staff out on the way).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KioskApi, StaffStatus } from '../../../preload/contract.js';
import { ConsoleContext, attempt, type ConsoleContextValue } from './console-context.js';
import { ConsoleShell } from './console-shell.js';
import { useConsoleWords } from './format.js';
import { PinScreen } from './pin-screen.js';
import './console.css';

/** How often staff's typing and touches are reported to the main process's idle timer. */
const ACTIVITY_EVERY_MS = 20_000;

type Phase =
  | { name: 'checking' }
  | { name: 'problem'; message: string }
  | { name: 'pin'; status: StaffStatus }
  | { name: 'console' };

interface StaffConsoleProps {
  api: KioskApi;
  /** Close or Sign out: back to the attract screen. */
  close(): void;
}

export function StaffConsole({ api, close }: StaffConsoleProps) {
  const { t } = useConsoleWords();
  const [phase, setPhase] = useState<Phase>({ name: 'checking' });

  const check = useCallback(async (context: ConsoleContextValue) => {
    setPhase({ name: 'checking' });
    const answer = await attempt(context, (kiosk) => kiosk.staffStatus());
    // The PIN every time the console opens, even if the main process still has staff signed
    // in (the page was reloaded mid-console): whoever stands here now must know it.
    if (!answer.ok) setPhase({ name: 'problem', message: answer.failure.message });
    else setPhase({ name: 'pin', status: answer.value });
  }, []);

  const context = useMemo<ConsoleContextValue>(() => {
    const value: ConsoleContextValue = {
      api,
      signedOut: () => void check(value),
    };
    return value;
  }, [api, check]);

  useEffect(() => {
    void check(context);
  }, [check, context]);

  // The main process signs staff out after two minutes without a command; typing a long form
  // is work too: tell it (at most every 20 s) so a clerk mid-form is not sent away.
  useEffect(() => {
    if (phase.name !== 'console') return;
    let last = 0;
    const onActivity = (): void => {
      const now = Date.now();
      if (now - last < ACTIVITY_EVERY_MS) return;
      last = now;
      void api.staffActivity().then(
        ({ signedIn }) => {
          if (!signedIn) context.signedOut();
        },
        () => undefined,
      );
    };
    for (const type of ['keydown', 'pointerdown', 'input'] as const) {
      window.addEventListener(type, onActivity, { capture: true, passive: true });
    }
    return () => {
      for (const type of ['keydown', 'pointerdown', 'input'] as const) {
        window.removeEventListener(type, onActivity, { capture: true });
      }
    };
  }, [phase.name, api, context]);

  const signOut = useCallback(() => {
    void attempt(context, (kiosk) => kiosk.signOut()).finally(close);
  }, [context, close]);

  return (
    <ConsoleContext.Provider value={context}>
      {phase.name === 'console' ? (
        <ConsoleShell close={close} signOut={signOut} />
      ) : phase.name === 'pin' ? (
        <PinScreen
          key={phase.status.pinSet ? 'enter' : 'choose'}
          status={phase.status}
          onSignedIn={() => setPhase({ name: 'console' })}
          onCancel={close}
          onStatus={(status) => setPhase({ name: 'pin', status })}
        />
      ) : (
        <main className="console-pin" data-screen="staff-pin" aria-busy={phase.name === 'checking'}>
          <div className="console-pin-text">
            <h1 tabIndex={-1}>{t('pin.title')}</h1>
            {phase.name === 'problem' ? (
              <p role="alert">{t('console.error', { message: phase.message })}</p>
            ) : (
              <p>{t('pin.checking')}</p>
            )}
            <div className="console-row">
              {phase.name === 'problem' ? (
                <button
                  type="button"
                  className="cbutton cbutton-primary"
                  data-testid="pin-retry"
                  onClick={() => void check(context)}
                >
                  {t('console.retry-load')}
                </button>
              ) : null}
              <button
                type="button"
                className="cbutton cbutton-secondary"
                data-testid="pin-cancel"
                onClick={close}
              >
                {t('pin.cancel')}
              </button>
            </div>
          </div>
        </main>
      )}
    </ConsoleContext.Provider>
  );
}
