/**
 * The customer's words: every key in every language, every ICU message valid for its language
 * (plural branches the language has, and only those), every key the screens and the capture
 * pipeline use present, and no sentence written into a component.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ROLES, GUIDANCE_VERDICTS, guidanceKey } from '../../model/guidance.js';
import { LANGUAGES, type Language } from '../../model/kiosk-settings.js';
import { CAMERA_PROBLEMS } from '../../renderer/src/camera/camera-port.js';
import {
  CATALOGUES,
  CONSOLE_CATALOGUES,
  CONSOLE_NAMESPACE,
  createI18n,
} from '../../renderer/src/i18n/i18n.js';
import { JOB_ERROR_CODES, JOB_STATES, PAUSE_REASONS } from '../../model/jobs.js';
import { VERDICTS } from '../../model/result-model.js';
import { SESSION_KINDS } from '../../model/kiosk-settings.js';
import { CONNECTION_PROBLEMS } from '../../preload/console-contract.js';
import { TABS } from '../../renderer/src/console/tabs.js';

const RENDERER = fileURLToPath(new URL('../../renderer/src/', import.meta.url));
/** The staff console: its words are a catalogue of their own (renderer/src/console/i18n/). */
const CONSOLE = join(RENDERER, 'console');

/** Every leaf of a catalogue as [dotted key, message]. */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]): [string, string][] =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value]]
      : leaves(value as object, `${prefix}${key}.`),
  );
}

const MESSAGES = Object.fromEntries(
  LANGUAGES.map((language) => [language, new Map(leaves(CATALOGUES[language]))]),
) as Record<Language, Map<string, string>>;
const ENGLISH_KEYS = [...MESSAGES.en.keys()];

/** The ICU parser's element shapes this test reads (intl-messageformat's AST). */
interface AstNode {
  type: number;
  value?: string;
  options?: Record<string, { value: AstNode[] }>;
  pluralType?: string;
  children?: AstNode[];
}

/** Plural branches a language does not have, or lacks: a translator's slip ICU does not catch. */
function pluralProblems(message: string, language: Language): string[] {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];
  const problems: string[] = [];
  const visit = (nodes: AstNode[]): void => {
    for (const node of nodes) {
      if (node.options !== undefined) {
        const branches = Object.keys(node.options);
        if (node.pluralType !== undefined) {
          for (const branch of branches) {
            if (!branch.startsWith('=') && !categories.includes(branch)) {
              problems.push(`"${branch}" is not a ${language} plural category`);
            }
          }
          for (const category of categories) {
            if (!branches.includes(category)) problems.push(`no "${category}" branch`);
          }
        }
        for (const branch of Object.values(node.options)) visit(branch.value);
      }
      if (node.children !== undefined) visit(node.children);
    }
  };
  visit(new IntlMessageFormat(message, language).getAst() as unknown as AstNode[]);
  return problems;
}

/** Sample values for every argument a message can name. */
const SAMPLE_VALUES = { vendor: 'Kairos', days: 21, current: 1, total: 2, progress: 0.42 };

/** The customer's screens: every renderer source but the staff console's. */
function customerFiles(): string[] {
  return sourceFiles(RENDERER).filter((file) => !file.startsWith(CONSOLE));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'harness' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('the catalogues', () => {
  it.each(LANGUAGES.filter((language) => language !== 'en'))(
    '%s has exactly the English keys',
    (language) => {
      const keys = [...MESSAGES[language].keys()];
      expect(ENGLISH_KEYS.filter((key) => !keys.includes(key))).toEqual([]);
      expect(keys.filter((key) => !ENGLISH_KEYS.includes(key))).toEqual([]);
    },
  );

  it.each(LANGUAGES)('every %s message is valid ICU and formats with its values', (language) => {
    for (const [key, message] of MESSAGES[language]) {
      const formatted = new IntlMessageFormat(message, language).format(SAMPLE_VALUES);
      expect(String(formatted), key).not.toMatch(/[{}]/);
      expect(String(formatted).trim(), key).not.toBe('');
    }
  });

  it.each(LANGUAGES)('every %s plural has its language’s branches and no other', (language) => {
    const problems = [...MESSAGES[language]].flatMap(([key, message]) =>
      pluralProblems(message, language).map((problem) => `${key}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('catches a plural branch the language does not have, and one it lacks', () => {
    expect(pluralProblems('{n, plural, one {# күн} few {# күн} other {# күн}}', 'kk')).toEqual([
      '"few" is not a kk plural category',
    ]);
    expect(pluralProblems('{n, plural, one {# день} other {# дня}}', 'ru')).toEqual([
      'no "few" branch',
      'no "many" branch',
    ]);
  });

  it('has every guidance message the capture pipeline can send, for both pictures', () => {
    const keys = CAPTURE_ROLES.flatMap((role) =>
      GUIDANCE_VERDICTS.map((verdict) => guidanceKey(role, verdict)),
    );
    expect(keys).toHaveLength(28);
    for (const language of LANGUAGES) {
      expect(
        keys.filter((key) => !MESSAGES[language].has(key)),
        language,
      ).toEqual([]);
    }
  });

  it('has the keys the screens build from ids', () => {
    const built = [
      ...LANGUAGES.map((language) => `language.${language}`),
      ...CAMERA_PROBLEMS.flatMap((problem) => [
        `camera-problem.${problem}.title`,
        `camera-problem.${problem}.body`,
      ]),
      ...CAPTURE_ROLES.flatMap((role) => [
        `capture.${role}.title`,
        `capture.${role}.hint`,
        `review.alt-${role}`,
      ]),
      ...['verified', 'staff', 'not-verified', 'queued'].flatMap((result) => [
        `result.${result}.title`,
        `result.${result}.body`,
      ]),
      'notice.start-again',
      'capture.failed',
    ];
    expect(built.filter((key) => !MESSAGES.en.has(key))).toEqual([]);
  });

  it('has every key the renderer names literally', () => {
    const used = customerFiles().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-z0-9.-]+)'/g)].map((match) => match[1]),
    );
    expect(used.length).toBeGreaterThan(30);
    expect(used.filter((key) => key !== undefined && !MESSAGES.en.has(key))).toEqual([]);
  });

  it('leaves no sentence in a component: every word comes from the catalogue', () => {
    const literals = sourceFiles(RENDERER)
      .filter((file) => file.endsWith('.tsx'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/>\s*([^<>{}\s][^<>{}]*?)\s*</g)]
          .map((match) => match[1] ?? '')
          .filter((text) => /\p{L}{2,}/u.test(text) && !/[=;()]/.test(text))
          .map((text) => `${file}: ${text}`),
      );
    expect(literals).toEqual([]);
  });
});

describe('the words as a customer reads them', () => {
  it('says the retention in each language’s plural forms', () => {
    const i18n = createI18n('ru');
    const keep = (days: number): string => i18n.t('consent.keep', { days });
    expect(keep(1)).toContain('1 день');
    expect(keep(3)).toContain('3 дня');
    expect(keep(30)).toContain('30 дней');
    expect(keep(21)).toContain('21 день');
    void i18n.changeLanguage('en');
    expect(i18n.t('consent.keep', { days: 1 })).toContain('1 day.');
    expect(i18n.t('consent.keep', { days: 30 })).toContain('30 days');
    void i18n.changeLanguage('kk');
    expect(i18n.t('consent.queue', { days: 3 })).toContain('3 күн');
  });

  it('words a guidance key from the pipeline, e.g. guidance.selfie.too-far', () => {
    const i18n = createI18n('kk');
    expect(i18n.t('guidance.selfie.too-far')).toBe('Сәл жақынырақ келіңіз');
    void i18n.changeLanguage('ru');
    expect(i18n.t('guidance.id-photo.too-bright')).toBe('На документе блики. Слегка наклоните его');
  });
});

const CONSOLE_MESSAGES = Object.fromEntries(
  LANGUAGES.map((language) => [language, new Map(leaves(CONSOLE_CATALOGUES[language]))]),
) as Record<Language, Map<string, string>>;
const CONSOLE_KEYS = [...CONSOLE_MESSAGES.en.keys()];

/** Sample values for every argument a console message can name. */
const CONSOLE_VALUES = {
  ...SAMPLE_VALUES,
  tries: 3,
  time: '14:05',
  remaining: '4:59',
  count: 21,
  message: 'details',
  ticket: 'K7Q2MX',
  state: 'Delivered',
  finished: 2,
  endpoint: 'https://vendor.example/v0.2',
  ms: 240,
  answer: 'No face.',
  id: 'req-1',
  entries: 22,
  first: 1,
  last: 22,
  seq: 7,
  reason: 'hash mismatch',
  checked: 6,
  rows: 5,
  file: 'audit.csv',
  min: 0,
  max: 1,
  score: '0.93',
  threshold: '0.60',
  date: '2 Jan 2027',
  url: 'https://vendor.example',
  language: 'Русский',
  kb: 12,
  yaw: '-4°',
  pitch: '2°',
  roll: '1°',
  eyes: '0.31',
  light: '0.92',
};

describe('the staff console’s catalogues', () => {
  it.each(LANGUAGES.filter((language) => language !== 'en'))(
    '%s has exactly the English keys',
    (language) => {
      const keys = [...CONSOLE_MESSAGES[language].keys()];
      expect(CONSOLE_KEYS.filter((key) => !keys.includes(key))).toEqual([]);
      expect(keys.filter((key) => !CONSOLE_KEYS.includes(key))).toEqual([]);
    },
  );

  it.each(LANGUAGES)('every %s message is valid ICU, formats, and has its plurals', (language) => {
    for (const [key, message] of CONSOLE_MESSAGES[language]) {
      const formatted = new IntlMessageFormat(message, language).format(CONSOLE_VALUES);
      expect(String(formatted), key).not.toMatch(/[{}]/);
      expect(String(formatted).trim(), key).not.toBe('');
      expect(pluralProblems(message, language), key).toEqual([]);
    }
  });

  it('has the keys the console builds from ids', () => {
    const built = [
      ...JOB_STATES.map((state) => `state.${state}`),
      ...VERDICTS.map((verdict) => `verdict.${verdict}`),
      ...['approve', 'review', 'reject'].map((decision) => `match.${decision}`),
      ...JOB_ERROR_CODES.map((code) => `job-error.${code}`),
      ...PAUSE_REASONS.map((reason) => `banner.paused-${reason}`),
      ...CONNECTION_PROBLEMS.map((problem) => `credentials.problem-${problem}`),
      ...TABS.map((tab) => `tab.${tab}`),
      ...SESSION_KINDS.map((kind) => `settings.kind-${kind}`),
    ];
    expect(built.filter((key) => !CONSOLE_MESSAGES.en.has(key))).toEqual([]);
  });

  it('has every key the console names literally', () => {
    const used = sourceFiles(CONSOLE).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-z0-9.-]+)'/g)].map((match) => match[1]),
    );
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => key !== undefined && !CONSOLE_MESSAGES.en.has(key))).toEqual([]);
  });

  it('words a console message in Russian and Kazakh through the console namespace', () => {
    const i18n = createI18n('ru');
    const t = i18n.getFixedT('ru', CONSOLE_NAMESPACE);
    expect(t('pin.wrong', { tries: 3 })).toContain('осталось 3 попытки');
    expect(t('queue.count', { count: 5 })).toBe('5 проверок');
    expect(i18n.getFixedT('kk', CONSOLE_NAMESPACE)('tab.queue')).toBe('Кезек');
    // The customer's words stay where they were.
    expect(i18n.t('guidance.selfie.too-far')).not.toBe('guidance.selfie.too-far');
  });
});
