/**
 * The signed-in console: a header (title, the kiosk's mode, Sign out, Close), the sections as
 * tabs (a side column in landscape, a row on top in portrait), and the section on view.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { AuditPanel } from './audit-panel.js';
import { attempt, useConsole } from './console-context.js';
import { CredentialsPanel } from './credentials-panel.js';
import { useConsoleWords } from './format.js';
import { QueuePanel } from './queue-panel.js';
import { ResultsPanel } from './results-panel.js';
import { SettingsPanel } from './settings-panel.js';
import { TABS, type Tab } from './tabs.js';
import { useKioskEvents } from './use-kiosk-events.js';

interface ConsoleShellProps {
  close(): void;
  signOut(): void;
}

/** Training or live, read once and kept up to date by 'mode-changed'. */
function useTraining(): boolean | null {
  const context = useConsole();
  const [training, setTraining] = useState<boolean | null>(null);
  useEffect(() => {
    void attempt(context, (api) => api.getCredentials()).then((answer) => {
      if (answer.ok) setTraining(answer.value.training);
    });
  }, [context]);
  useKioskEvents(
    useCallback((event) => {
      if (event.type === 'mode-changed') setTraining(event.training);
    }, []),
  );
  return training;
}

export function ConsoleShell({ close, signOut }: ConsoleShellProps) {
  const { t } = useConsoleWords();
  const [tab, setTab] = useState<Tab>('queue');
  const training = useTraining();
  const tabs = useRef(new Map<Tab, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);

  // Arrow keys move between tabs, as in every tab list (WAI-ARIA Authoring Practices).
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    tabs.current.get(next)?.focus();
  };

  return (
    <main className="console" data-screen="staff-console">
      <header className="console-header">
        <h1 ref={heading} tabIndex={-1}>
          {t('console.title')}
        </h1>
        {training === null ? null : (
          <p
            className={training ? 'console-mode console-mode-training' : 'console-mode'}
            data-testid="console-mode"
          >
            {training ? t('console.mode-training') : t('console.mode-live')}
          </p>
        )}
        <div className="console-header-actions">
          <button
            type="button"
            className="cbutton cbutton-secondary"
            data-testid="console-sign-out"
            onClick={signOut}
          >
            {t('console.sign-out')}
          </button>
          <button
            type="button"
            className="cbutton cbutton-primary"
            data-testid="console-close"
            onClick={close}
          >
            {t('console.close')}
          </button>
        </div>
      </header>
      <div
        className="console-tabs"
        role="tablist"
        aria-label={t('console.nav')}
        onKeyDown={onTabKey}
      >
        {TABS.map((name) => (
          <button
            key={name}
            ref={(element) => {
              if (element === null) tabs.current.delete(name);
              else tabs.current.set(name, element);
            }}
            type="button"
            role="tab"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className="console-tab"
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`tab.${name}`)}
          </button>
        ))}
      </div>
      <section
        className="console-panel"
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        data-testid={`panel-${tab}`}
      >
        {tab === 'queue' ? <QueuePanel /> : null}
        {tab === 'results' ? <ResultsPanel /> : null}
        {tab === 'settings' ? <SettingsPanel /> : null}
        {tab === 'credentials' ? <CredentialsPanel /> : null}
        {tab === 'audit' ? <AuditPanel /> : null}
      </section>
    </main>
  );
}
