/**
 * The kiosk's root view: runs the customer's state machine with the kiosk api and the browser
 * camera, feeds it the customer's touches and keys (for the idle timeout), keeps the page's
 * language in step, and shows the training banner on every screen.
 */
import { useMachine } from '@xstate/react';
import { useEffect, useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../preload/contract.js';
import type { Language } from '../../model/kiosk-settings.js';
import { useBrowserCamera } from './camera/use-browser-camera.js';
import { TrainingBanner } from './components/training-banner.js';
import { useStaffShortcut } from './console/staff-entry.js';
import { kioskMachine, type KioskContext, type KioskMachineEvent } from './kiosk-machine.js';
import { ScreenView } from './screens/screen-view.js';
import { UnavailableScreen } from './screens/unavailable-screen.js';

/** What counts as the customer being there; guidance frames do not. */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

function useActivity(send: (event: KioskMachineEvent) => void): void {
  useEffect(() => {
    const onActivity = (): void => send({ type: 'ACTIVITY' });
    for (const type of ACTIVITY_EVENTS) {
      window.addEventListener(type, onActivity, { capture: true, passive: true });
    }
    return () => {
      for (const type of ACTIVITY_EVENTS) {
        window.removeEventListener(type, onActivity, { capture: true });
      }
    };
  }, [send]);
}

/** The catalogue's language, the page's lang attribute and title follow the machine's language. */
function useLanguage(language: Language): void {
  const { i18n, t } = useTranslation();
  // Before paint: the new screen never shows a frame in the old language.
  useLayoutEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);
  useEffect(() => {
    document.title = t('app.title');
  }, [t, language]);
}

function isTraining(context: KioskContext): boolean {
  const { config, session, outcome } = context;
  return (
    config?.trainingMode === true ||
    session?.training === true ||
    (outcome !== null && 'training' in outcome && outcome.training)
  );
}

export function App({ api }: { api: KioskApi }) {
  const camera = useBrowserCamera();
  const [snapshot, send] = useMachine(kioskMachine, { input: { api, camera } });
  useActivity(send);
  useStaffShortcut(send);
  useLanguage(snapshot.context.language);
  return (
    <div className="app">
      {isTraining(snapshot.context) ? <TrainingBanner /> : null}
      {snapshot.status === 'active' ? (
        <ScreenView snapshot={snapshot} send={send} camera={camera} />
      ) : (
        // A bug stopped the machine: never a frozen screen; Back to start reloads the page.
        <UnavailableScreen send={() => location.reload()} />
      )}
    </div>
  );
}
