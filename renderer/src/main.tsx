/**
 * Start-up: the catalogues, the kiosk api (Electron's preload, or the harness's WebSocket
 * client), then the app. Without an api the customer sees the staff screen, never a blank page.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app.js';
import { createI18n } from './i18n/i18n.js';
import { loadKioskApi } from './kiosk-api.js';
import { UnavailableScreen } from './screens/unavailable-screen.js';
import './styles/tokens.css';
import './styles/app.css';
import './styles/screens.css';

// The Electron kiosk (its preload gave window.kiosk): a touch screen, so the pointer is hidden
// on the customer's screens (screens.css); the browser harness keeps it for developers.
if (window.kiosk !== undefined) document.documentElement.dataset.shell = 'electron';

const element = document.getElementById('root');
if (element !== null) {
  const root = createRoot(element);
  const i18n = createI18n('en');
  loadKioskApi().then(
    (api) =>
      root.render(
        <StrictMode>
          <I18nextProvider i18n={i18n}>
            <App api={api} />
          </I18nextProvider>
        </StrictMode>,
      ),
    () =>
      root.render(
        <StrictMode>
          <I18nextProvider i18n={i18n}>
            <div className="app">
              <UnavailableScreen send={() => location.reload()} />
            </div>
          </I18nextProvider>
        </StrictMode>,
      ),
  );
}
