/**
 * A kiosk that cannot start says so on its screen, never a blank window or a silent exit: what
 * is wrong and what staff and IT should do, in the kiosk's three languages, with the typed
 * error's own message (English, written for IT, never a secret) as the details.
 *
 * Pure: error in, words and a static HTML page out (inline CSS, no script; its own CSP allows
 * only its one style block, by hash). main.ts shows it full screen via a data: URL.
 */
import { createHash } from 'node:crypto';
import { isQueueError } from '../queue/queue-errors.js';
import { isStorageError, storageErrorOf } from '../queue/store/storage-errors.js';
import { isSecretStoreError } from '../secrets/secret-store.js';

export type StartupFailureKind =
  | 'keychain-unavailable'
  | 'keychain-locked'
  | 'data-key-unavailable'
  | 'storage-read-only'
  | 'storage-full'
  | 'storage-io'
  | 'storage-damaged'
  | 'newer-schema'
  | 'unknown';

export const STARTUP_LANGUAGES = ['en', 'ru', 'kk'] as const;
export type StartupLanguage = (typeof STARTUP_LANGUAGES)[number];

export interface StartupText {
  title: string;
  /** What staff do, what IT does, and (when it does) that the kiosk tries again by itself. */
  lines: string[];
}

export interface StartupFailure {
  kind: StartupFailureKind;
  /**
   * How long until the shell tries to start again by itself, or null when a person must act
   * first. Only a keychain that is not there yet or still locked passes by itself (a kiosk that
   * starts at login can be faster than the keyring daemon; staff sign in and it unlocks).
   */
  retryInMs: number | null;
  /** The error's own code ('keychain-locked', 'storage', 'EACCES', ...), for the log. */
  code: string;
  /** The error's message for IT (English); for an untyped error, its first 500 characters. */
  detail: string;
  text: Record<StartupLanguage, StartupText>;
}

/** The kind of start-up failure behind `error`. */
export function startupFailureKind(error: unknown): StartupFailureKind {
  if (isSecretStoreError(error)) {
    if (error.code === 'keychain-locked') return 'keychain-locked';
    if (error.code === 'data-key-unavailable') return 'data-key-unavailable';
    if (error.code === 'keychain-unavailable') return 'keychain-unavailable';
    return 'unknown';
  }
  // A StorageError from the queue, or the file system refusing the data folder itself (mkdir,
  // the settings file) before the queue ever opened.
  const path = (error as { path?: unknown } | null)?.path;
  const storage = isStorageError(error)
    ? error
    : storageErrorOf(error, typeof path === 'string' ? path : 'the data folder');
  if (storage !== null) return `storage-${storage.problem}`;
  if (isQueueError(error) && error.code === 'newer-schema') return 'newer-schema';
  return 'unknown';
}

const STAFF_CALL_IT: Record<StartupLanguage, string> = {
  en: 'Customers cannot be served on this kiosk right now. Call IT. Do not delete anything.',
  ru: 'Сейчас на этом киоске нельзя обслуживать клиентов. Позвоните в ИТ-поддержку. Ничего не удаляйте.',
  kk: 'Қазір бұл киоскіде клиенттерге қызмет көрсету мүмкін емес. IT қолдау қызметіне қоңырау шалыңыз. Ештеңені жоймаңыз.',
};

/** The words, per kind and language: [title, what staff do, what IT does]. */
const WORDS: Record<StartupFailureKind, Record<StartupLanguage, [string, string, string]>> = {
  'keychain-unavailable': {
    en: [
      'This kiosk cannot reach its secure key store',
      'Customers cannot be served right now. Restart the kiosk; if this page comes back, call IT.',
      "IT: the operating system's keychain (Windows Credential Manager, macOS Keychain or the Linux Secret Service) did not answer. Kiosk Verify keeps its keys only there, never in plain text. See the details below.",
    ],
    ru: [
      'Киоск не может обратиться к защищённому хранилищу ключей',
      'Сейчас обслуживать клиентов нельзя. Перезапустите киоск; если эта страница появится снова, позвоните в ИТ-поддержку.',
      'Для ИТ: хранилище ключей ОС (диспетчер учётных данных Windows, связка ключей macOS или Secret Service в Linux) не ответило. Kiosk Verify хранит ключи только там, никогда открытым текстом. Подробности ниже.',
    ],
    kk: [
      'Киоск қорғалған кілттер қоймасына қол жеткізе алмайды',
      'Қазір клиенттерге қызмет көрсету мүмкін емес. Киоскіні қайта іске қосыңыз; бұл бет қайта шықса, IT қолдау қызметіне қоңырау шалыңыз.',
      'IT үшін: ОЖ кілттер қоймасы (Windows Credential Manager, macOS Keychain немесе Linux Secret Service) жауап бермеді. Kiosk Verify кілттерді тек сонда сақтайды, ешқашан ашық мәтінмен емес. Толығырақ төменде.',
    ],
  },
  'keychain-locked': {
    en: [
      "The kiosk's secure key store is locked",
      "Sign in to the kiosk computer's account again (that unlocks it); Kiosk Verify then starts by itself. If it stays locked, call IT.",
      'IT: the keychain answers but is locked; nothing was changed. Unlock it in the kiosk account’s session.',
    ],
    ru: [
      'Хранилище ключей киоска заблокировано',
      'Снова войдите в учётную запись компьютера киоска (это разблокирует хранилище); после этого Kiosk Verify запустится сам. Если хранилище останется заблокированным, позвоните в ИТ-поддержку.',
      'Для ИТ: хранилище ключей отвечает, но заблокировано; ничего не изменено. Разблокируйте его в сеансе учётной записи киоска.',
    ],
    kk: [
      'Киоскінің кілттер қоймасы құлыпталған',
      'Киоск компьютерінің тіркелгісіне қайта кіріңіз (бұл қойманы ашады); содан кейін Kiosk Verify өзі іске қосылады. Құлыпталған күйде қалса, IT қолдау қызметіне қоңырау шалыңыз.',
      'IT үшін: кілттер қоймасы жауап береді, бірақ құлыпталған; ештеңе өзгертілген жоқ. Оны киоск тіркелгісінің сеансында ашыңыз.',
    ],
  },
  'data-key-unavailable': {
    en: [
      'Saved verifications cannot be opened',
      'Do not delete anything on this kiosk. Call IT: the verifications waiting to be sent are kept safe, but locked.',
      'IT: the queue\'s data key is not in this OS account\'s keychain (deleted, or made by another account). Restore it, or sign in with the account that made it; "kiosk-verify queue status" lists the jobs. No new key is made while jobs need the old one.',
    ],
    ru: [
      'Сохранённые проверки нельзя открыть',
      'Ничего не удаляйте на этом киоске. Позвоните в ИТ-поддержку: проверки, ожидающие отправки, сохранены, но заблокированы.',
      'Для ИТ: ключа данных очереди нет в хранилище ключей этой учётной записи ОС (он удалён или создан другой учётной записью). Восстановите его или войдите под учётной записью, которая его создала; «kiosk-verify queue status» покажет задания. Пока заданиям нужен старый ключ, новый не создаётся.',
    ],
    kk: [
      'Сақталған тексерулерді ашу мүмкін емес',
      'Бұл киоскіде ештеңені жоймаңыз. IT қолдау қызметіне қоңырау шалыңыз: жіберуді күтіп тұрған тексерулер сақталған, бірақ құлыпталған.',
      'IT үшін: кезектің деректер кілті осы ОЖ тіркелгісінің кілттер қоймасында жоқ (жойылған немесе басқа тіркелгі жасаған). Оны қалпына келтіріңіз немесе оны жасаған тіркелгімен кіріңіз; «kiosk-verify queue status» тапсырмаларды көрсетеді. Тапсырмаларға ескі кілт керек кезде жаңа кілт жасалмайды.',
    ],
  },
  'storage-read-only': {
    en: [
      'The kiosk cannot save its data',
      STAFF_CALL_IT.en,
      "IT: the data folder (or a file in it) is read-only for the kiosk's OS account. Give that account write access (or remount the disk read-write), then restart Kiosk Verify.",
    ],
    ru: [
      'Киоск не может сохранять данные',
      STAFF_CALL_IT.ru,
      'Для ИТ: папка данных (или файл в ней) недоступна для записи учётной записи ОС киоска. Дайте ей право записи (или перемонтируйте диск для записи), затем перезапустите Kiosk Verify.',
    ],
    kk: [
      'Киоск деректерді сақтай алмайды',
      STAFF_CALL_IT.kk,
      'IT үшін: деректер қалтасына (немесе ондағы файлға) киоскінің ОЖ тіркелгісі жаза алмайды. Сол тіркелгіге жазу құқығын беріңіз (немесе дискіні жазу режимінде қайта қосыңыз), содан кейін Kiosk Verify бағдарламасын қайта іске қосыңыз.',
    ],
  },
  'storage-full': {
    en: [
      "The kiosk's disk is full",
      STAFF_CALL_IT.en,
      'IT: no space is left on the disk holding the data folder. Nothing was lost. Free space there, then restart Kiosk Verify.',
    ],
    ru: [
      'Диск киоска заполнен',
      STAFF_CALL_IT.ru,
      'Для ИТ: на диске с папкой данных не осталось места. Ничего не потеряно. Освободите место, затем перезапустите Kiosk Verify.',
    ],
    kk: [
      'Киоскінің дискісі толы',
      STAFF_CALL_IT.kk,
      'IT үшін: деректер қалтасы тұрған дискіде орын қалмады. Ештеңе жоғалған жоқ. Орын босатып, Kiosk Verify бағдарламасын қайта іске қосыңыз.',
    ],
  },
  'storage-io': {
    en: [
      "The kiosk's disk does not answer",
      STAFF_CALL_IT.en,
      'IT: the disk holding the data folder gave an I/O error. Check the disk (is it still attached?), then restart Kiosk Verify.',
    ],
    ru: [
      'Диск киоска не отвечает',
      STAFF_CALL_IT.ru,
      'Для ИТ: диск с папкой данных выдал ошибку ввода-вывода. Проверьте диск (подключён ли он), затем перезапустите Kiosk Verify.',
    ],
    kk: [
      'Киоскінің дискісі жауап бермейді',
      STAFF_CALL_IT.kk,
      'IT үшін: деректер қалтасы тұрған дискіде енгізу-шығару қатесі болды. Дискіні тексеріңіз (ол әлі қосулы ма), содан кейін Kiosk Verify бағдарламасын қайта іске қосыңыз.',
    ],
  },
  'storage-damaged': {
    en: [
      "The kiosk's saved data is damaged",
      STAFF_CALL_IT.en,
      'IT: the queue database is damaged. "kiosk-verify queue recover FILE" brings back every job that can still be read; the damaged file is kept, never deleted.',
    ],
    ru: [
      'Сохранённые данные киоска повреждены',
      STAFF_CALL_IT.ru,
      'Для ИТ: база данных очереди повреждена. «kiosk-verify queue recover FILE» восстанавливает все задания, которые ещё можно прочитать; повреждённый файл сохраняется, а не удаляется.',
    ],
    kk: [
      'Киоскінің сақталған деректері зақымдалған',
      STAFF_CALL_IT.kk,
      'IT үшін: кезек дерекқоры зақымдалған. «kiosk-verify queue recover FILE» әлі оқылатын барлық тапсырмаларды қалпына келтіреді; зақымдалған файл жойылмай сақталады.',
    ],
  },
  'newer-schema': {
    en: [
      "This kiosk's data comes from a newer version",
      STAFF_CALL_IT.en,
      'IT: the queue was written by a newer Kiosk Verify. Install that version (or a later one) again; do not delete the data folder.',
    ],
    ru: [
      'Данные киоска записаны более новой версией',
      STAFF_CALL_IT.ru,
      'Для ИТ: очередь записана более новой версией Kiosk Verify. Установите эту версию (или более позднюю) снова; не удаляйте папку данных.',
    ],
    kk: [
      'Киоск деректерін жаңарақ нұсқа жазған',
      STAFF_CALL_IT.kk,
      'IT үшін: кезекті Kiosk Verify бағдарламасының жаңарақ нұсқасы жазған. Сол нұсқаны (немесе одан жаңасын) қайта орнатыңыз; деректер қалтасын жоймаңыз.',
    ],
  },
  unknown: {
    en: [
      'Kiosk Verify could not start',
      'Restart the kiosk. If this page comes back, call IT and tell them the time shown below.',
      'IT: an unexpected error; its message is below, and the event log in the data folder has the rest.',
    ],
    ru: [
      'Kiosk Verify не удалось запустить',
      'Перезапустите киоск. Если эта страница появится снова, позвоните в ИТ-поддержку и назовите время, указанное ниже.',
      'Для ИТ: непредвиденная ошибка; её текст ниже, остальное — в журнале событий в папке данных.',
    ],
    kk: [
      'Kiosk Verify іске қосылмады',
      'Киоскіні қайта іске қосыңыз. Бұл бет қайта шықса, IT қолдау қызметіне қоңырау шалып, төменде көрсетілген уақытты айтыңыз.',
      'IT үшін: күтпеген қате; оның мәтіні төменде, қалғаны деректер қалтасындағы оқиғалар журналында.',
    ],
  },
};

/** Said when the shell tries again by itself (retryInMs). */
const RETRYING: Record<StartupLanguage, (seconds: number) => string> = {
  en: (s) => `Kiosk Verify tries to start again by itself every ${s} seconds.`,
  ru: (s) => `Kiosk Verify сам пробует запуститься снова каждые ${s} секунд.`,
  kk: (s) => `Kiosk Verify әр ${s} секунд сайын өзі қайта іске қосылуға тырысады.`,
};

/** The wait before a new start for the kinds that pass by themselves. */
export const STARTUP_RETRY_MS = 30_000;

const LABELS: Record<StartupLanguage, { details: string; time: string }> = {
  en: { details: 'Details for IT', time: 'Time' },
  ru: { details: 'Подробности для ИТ', time: 'Время' },
  kk: { details: 'IT үшін толығырақ', time: 'Уақыт' },
};

/** What went wrong at start-up and what to do, in every language. */
export function describeStartupFailure(error: unknown): StartupFailure {
  const kind = startupFailureKind(error);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const retryInMs =
    kind === 'keychain-unavailable' || kind === 'keychain-locked' ? STARTUP_RETRY_MS : null;
  const text = Object.fromEntries(
    STARTUP_LANGUAGES.map((language) => {
      const [title, staff, it] = WORDS[kind][language];
      const lines = [staff, it];
      if (retryInMs !== null) lines.push(RETRYING[language](retryInMs / 1000));
      return [language, { title, lines }];
    }),
  ) as Record<StartupLanguage, StartupText>;
  return {
    kind,
    retryInMs,
    code: typeof code === 'string' ? code : kind,
    detail: message.slice(0, 500),
    text,
  };
}

/** Text for HTML: the five characters that could end an element or an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = [
  'html,body{margin:0;height:100%;background:#0b1e33;color:#fff;cursor:default}',
  'body{font:22px/1.45 system-ui,sans-serif;display:flex;flex-direction:column;gap:28px;',
  'padding:48px 64px;box-sizing:border-box;overflow:auto}',
  'section{border-left:6px solid #f2b705;padding-left:24px}',
  'h1{font-size:34px;margin:0 0 10px}p{margin:6px 0;max-width:70ch}',
  'footer{font:16px/1.4 ui-monospace,monospace;color:#c7d3e0;white-space:pre-wrap}',
].join('');

/** The full-screen page: every language, then the details and the time for IT. */
export function startupFailurePage(failure: StartupFailure, time: string): string {
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const sections = STARTUP_LANGUAGES.map((language) => {
    const { title, lines } = failure.text[language];
    return (
      `<section lang="${language}"><h1>${escapeHtml(title)}</h1>` +
      lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
      '</section>'
    );
  }).join('');
  const details = STARTUP_LANGUAGES.map((l) => LABELS[l].details).join(' / ');
  const times = STARTUP_LANGUAGES.map((l) => LABELS[l].time).join(' / ');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${styleHash}'">` +
    `<title>Kiosk Verify</title><style>${STYLE}</style></head><body>` +
    sections +
    `<footer>${escapeHtml(details)}: [${escapeHtml(failure.code)}] ${escapeHtml(failure.detail)}\n` +
    `${escapeHtml(times)}: ${escapeHtml(time)}</footer>` +
    '</body></html>'
  );
}

/** The page as a data: URL for BrowserWindow.loadURL. */
export function startupFailureUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
