/**
 * The customer's words in English, Russian and Kazakh: i18next with ICU messages, so plurals
 * follow each language's rules (Russian one/few/many/other, Kazakh one/other). Components use
 * keys only; the catalogues are the JSON files beside this one.
 */
import i18next, { type i18n as I18n } from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../model/kiosk-settings.js';
import en from './en.json' with { type: 'json' };
import kk from './kk.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import consoleEn from '../console/i18n/en.json' with { type: 'json' };
import consoleKk from '../console/i18n/kk.json' with { type: 'json' };
import consoleRu from '../console/i18n/ru.json' with { type: 'json' };

export const CATALOGUES = { en, ru, kk } satisfies Record<Language, object>;

/**
 * The staff console's words, a namespace of their own (`useTranslation('console')`): staff
 * strings stay apart from the customer's, and each catalogue can change without the other.
 */
export const CONSOLE_NAMESPACE = 'console';
export const CONSOLE_CATALOGUES = { en: consoleEn, ru: consoleRu, kk: consoleKk } satisfies Record<
  Language,
  object
>;

/** An i18next instance with every catalogue loaded, ready at once (nothing is fetched). */
export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance
    .use(new ICU())
    .use(initReactI18next)
    .init({
      resources: {
        en: { translation: CATALOGUES.en, [CONSOLE_NAMESPACE]: CONSOLE_CATALOGUES.en },
        ru: { translation: CATALOGUES.ru, [CONSOLE_NAMESPACE]: CONSOLE_CATALOGUES.ru },
        kk: { translation: CATALOGUES.kk, [CONSOLE_NAMESPACE]: CONSOLE_CATALOGUES.kk },
      },
      lng: language,
      ns: ['translation', CONSOLE_NAMESPACE],
      defaultNS: 'translation',
      // A key missing in one language shows the English words, never the key itself; the
      // catalogue test keeps this from happening.
      fallbackLng: 'en',
      initAsync: false,
      // React escapes what it renders.
      interpolation: { escapeValue: false },
    });
  return instance;
}
