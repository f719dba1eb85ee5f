/** Times, dates and numbers in the console's language (Intl, no library). */
import { useTranslation } from 'react-i18next';
import { CONSOLE_NAMESPACE } from '../i18n/i18n.js';

export interface Formats {
  /** 2 Dec 2026, 14:05 */
  dateTime(ms: number): string;
  /** 14:05 today; 2 Dec, 14:05 another day: what fits a list's cell. */
  short(ms: number): string;
  /** 14:05:09 */
  time(ms: number): string;
  /** 2 Dec 2026 */
  date(ms: number): string;
  /** "in 5 minutes", "2 hours ago" */
  relative(ms: number, now?: number): string;
  number(value: number, digits?: number): string;
}

const FORMATS = new Map<string, Formats>();

/** The formats of a language, made once: Intl formatters are costly to build. */
export function formatsFor(language: string): Formats {
  let formats = FORMATS.get(language);
  if (formats === undefined) {
    formats = makeFormats(language);
    FORMATS.set(language, formats);
  }
  return formats;
}

function makeFormats(language: string): Formats {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(language, { timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const clock = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  const dayClock = new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    short: (ms) =>
      new Date(ms).toDateString() === new Date().toDateString()
        ? clock.format(ms)
        : dayClock.format(ms),
    dateTime: (ms) => dateTime.format(ms),
    time: (ms) => time.format(ms),
    date: (ms) => date.format(ms),
    relative: (ms, now = Date.now()) => {
      const seconds = Math.round((ms - now) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 60) return relative.format(seconds, 'second');
      if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
      return relative.format(Math.round(seconds / 86_400), 'day');
    },
    number: (value, digits = 2) =>
      new Intl.NumberFormat(language, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value),
  };
}

/** The console's `t` and the formats of the language on view. */
export function useConsoleWords() {
  const { t, i18n } = useTranslation(CONSOLE_NAMESPACE);
  return { t, formats: formatsFor(i18n.language) };
}

/** The console's translate function. */
export type ConsoleT = ReturnType<typeof useConsoleWords>['t'];
