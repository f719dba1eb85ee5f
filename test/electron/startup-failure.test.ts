/**
 * A start-up failure becomes a full-screen page in English, Russian and Kazakh saying what is
 * wrong and what staff and IT should do: one test per failure class, and the page's HTML
 * escaping (an error's message is shown in it) and its lock-down (no script, its own CSP).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QueueError } from '../../main/queue/queue-errors.js';
import { StorageError } from '../../main/queue/store/storage-errors.js';
import { SecretStoreError } from '../../main/secrets/secret-store.js';
import {
  describeStartupFailure,
  escapeHtml,
  STARTUP_LANGUAGES,
  startupFailureKind,
  startupFailurePage,
  startupFailureUrl,
  type StartupFailureKind,
} from '../../main/electron/startup-failure.js';

function errno(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: permission denied, mkdir '${path}'`), { code, path });
}

const CASES: [string, unknown, StartupFailureKind, RegExp][] = [
  [
    'no keychain',
    new SecretStoreError('keychain-unavailable', 'No Secret Service keychain is reachable.'),
    'keychain-unavailable',
    /restart the kiosk/i,
  ],
  [
    'a locked keychain',
    new SecretStoreError('keychain-locked', 'The keychain is locked.'),
    'keychain-locked',
    /sign in/i,
  ],
  [
    'a queue that needs its missing data key',
    new SecretStoreError('data-key-unavailable', 'The queue data key is not in this keychain.'),
    'data-key-unavailable',
    /do not delete/i,
  ],
  [
    'a read-only data folder (the queue)',
    new StorageError('read-only', '/var/kiosk/queue.sqlite'),
    'storage-read-only',
    /call it/i,
  ],
  [
    'an unwritable data folder (before the queue opened)',
    errno('EACCES', '/var/kiosk'),
    'storage-read-only',
    /call it/i,
  ],
  ['a full disk', new StorageError('full', '/var/kiosk/queue.sqlite'), 'storage-full', /call it/i],
  ['a disk error', errno('EIO', '/var/kiosk/queue.sqlite'), 'storage-io', /call it/i],
  [
    'a damaged queue',
    new StorageError('damaged', '/var/kiosk/queue.sqlite'),
    'storage-damaged',
    /call it/i,
  ],
  [
    "a newer version's queue",
    new QueueError('newer-schema', 'The queue was written by a newer version.'),
    'newer-schema',
    /call it/i,
  ],
  [
    'a bug',
    new TypeError("Cannot read properties of undefined (reading 'x')"),
    'unknown',
    /restart/i,
  ],
];

describe('what a start-up failure says', () => {
  it.each(CASES)(
    '%s: what is wrong and what to do, in every language',
    (_name, error, kind, staff) => {
      expect(startupFailureKind(error)).toBe(kind);
      const failure = describeStartupFailure(error);
      expect(failure.kind).toBe(kind);
      expect(failure.detail).toBe((error as Error).message);
      for (const language of STARTUP_LANGUAGES) {
        const { title, lines } = failure.text[language];
        expect(title.length, language).toBeGreaterThan(10);
        expect(lines, language).toHaveLength(failure.retryInMs === null ? 2 : 3);
      }
      expect(failure.text.en.lines[0]).toMatch(staff);
      // Each language is its own text, not English copied (Cyrillic in ru and kk; kk's own letters).
      expect(failure.text.ru.title).toMatch(/[а-яё]/i);
      expect(failure.text.kk.title).not.toBe(failure.text.ru.title);
      expect(failure.text.en.lines[1]).toMatch(/^IT: /);
      expect(failure.text.ru.lines[1]).toMatch(/^Для ИТ: /);
      expect(failure.text.kk.lines[1]).toMatch(/^IT үшін: /);
    },
  );

  it('tries again by itself only when the keychain is not there yet or locked, and says so', () => {
    const retrying = CASES.filter(([, error]) => describeStartupFailure(error).retryInMs !== null);
    expect(retrying.map(([, , kind]) => kind)).toEqual(['keychain-unavailable', 'keychain-locked']);
    const failure = describeStartupFailure(retrying[0]?.[1]);
    expect(failure.retryInMs).toBe(30_000);
    expect(failure.text.en.lines[2]).toBe(
      'Kiosk Verify tries to start again by itself every 30 seconds.',
    );
    expect(failure.text.ru.lines[2]).toContain('30 секунд');
    expect(failure.text.kk.lines[2]).toContain('30 секунд');
  });

  it('gives every failure class its own title', () => {
    const titles = CASES.map(([, error]) => describeStartupFailure(error).text.en.title);
    const kinds = CASES.map(([, , kind]) => kind);
    expect(new Set(titles).size).toBe(new Set(kinds).size);
  });

  it('shows at most 500 characters of an unexpected error, and copes with a thrown non-error', () => {
    expect(describeStartupFailure(new Error('x'.repeat(2_000))).detail).toHaveLength(500);
    expect(describeStartupFailure('just a string')).toMatchObject({
      kind: 'unknown',
      detail: 'just a string',
    });
    expect(describeStartupFailure(null).kind).toBe('unknown');
  });
});

describe('the failure page', () => {
  const hostile = new SecretStoreError(
    'keychain-unavailable',
    `<script>alert("x")</script><img src=x onerror=alert(1)> & 'quoted'`,
  );
  const html = startupFailurePage(describeStartupFailure(hostile), '2026-12-02T15:00:00.000Z');

  it('escapes the error message: no markup from it reaches the page', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain('&#38; &#39;quoted&#39;');
    expect(escapeHtml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });

  it('shows all three languages, each marked with its lang, then the details and the time', () => {
    for (const language of STARTUP_LANGUAGES)
      expect(html).toContain(`<section lang="${language}">`);
    expect(html).toContain('This kiosk cannot reach its secure key store');
    expect(html).toContain('Киоск не может обратиться к защищённому хранилищу ключей');
    expect(html).toContain('Киоск қорғалған кілттер қоймасына қол жеткізе алмайды');
    expect(html).toContain('[keychain-unavailable]');
    expect(html).toContain('2026-12-02T15:00:00.000Z');
  });

  it('runs no script and allows only its own style block, by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i); // no inline event handler in any tag
  });

  it('travels as a data: URL that decodes back to the page', () => {
    const url = startupFailureUrl(html);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length))).toBe(html);
  });
});
