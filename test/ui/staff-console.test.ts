/**
 * The staff console, in Debian's Chromium against the browser harness: the ways in (the
 * keyboard shortcut and the long press, from the attract screen only), the first PIN, each
 * section on a real queue, settings, keychain and audit trail, at 1280x720 landscape and
 * 1080x1920 portrait. Screenshots under .tmp/ui-screens/console-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoSeriousAxeViolations } from './kit/axe.js';
import { launchKioskBrowser, type KioskBrowser } from './kit/browser.js';
import { startTestKiosk, type TestKiosk } from './kit/kiosk.js';
import { screenshot } from './kit/screens.js';
import { eventually, openAndStart, press, waitForScreen } from './kit/walk.js';
import { livenessJob, livenessResult, matchJob } from '../queue/queue-fixtures.js';
import { startKiosk } from '../../main/kiosk.js';
import { startHarness } from '../../main/web/harness-server.js';
import { isolatedKeychainStore, requireRealKeychain } from '../helpers/keychain.js';
import { REPO_ROOT } from './kit/paths.js';

const PIN = '246810';
const LANDSCAPE = { width: 1280, height: 720 };
const PORTRAIT = { width: 1080, height: 1920 };
/** Enough to prove the list is virtual: a few dozen rows in the DOM, whatever the queue holds. */
const WAITING_JOBS = 3000;

let browser: KioskBrowser | null = null;
afterEach(async () => {
  await browser?.close();
  browser = null;
});

let kiosk: TestKiosk;
let oldestTicket = '';
let finishedTicket = '';
let trainingTicket = '';

beforeAll(async () => {
  kiosk = await startTestKiosk();
  const { store, loop } = kiosk.kiosk.services;
  // Nothing is delivered while the console looks: the queue stays as seeded.
  await loop.stop();
  const oldest = store.enqueue(
    livenessJob({
      priorAttempt: {
        error: { code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' },
        outcomeUnknown: false,
      },
    }),
  );
  oldestTicket = oldest.ticket;
  for (let i = 1; i < WAITING_JOBS; i += 1) store.enqueue(i % 7 === 0 ? matchJob() : livenessJob());
  const finished = store.enqueue(livenessJob());
  store.storeResult(finished.id, livenessResult());
  finishedTicket = finished.ticket;
  trainingTicket = finished.ticket;
  const refused = store.enqueue(livenessJob());
  store.finish(refused.id, 'failed', { code: 'rejected-input', message: 'No face found.' });
}, 180_000);
afterAll(() => kiosk?.close());

async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await press(page, `pin-key-${digit}`);
}

async function signInWithPin(page: Page): Promise<void> {
  await waitForScreen(page, 'staff-pin');
  await page.getByTestId('pin-submit').waitFor();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'staff-console');
}

async function openByShortcut(page: Page): Promise<void> {
  await page.goto(kiosk.url);
  await waitForScreen(page, 'attract');
  await page.keyboard.press('Control+Shift+KeyS');
}

async function tab(page: Page, name: string): Promise<void> {
  await press(page, `tab-${name}`);
  await page.getByTestId(`panel-${name}`).waitFor();
}

describe('the staff console', () => {
  it('Ctrl+Shift+S on the attract screen asks for a first PIN twice, then shows the queue', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await openByShortcut(page);
    await waitForScreen(page, 'staff-pin');
    await expect.poll(() => page.getByTestId('pin-prompt').innerText()).toContain('Choose');
    await screenshot(page, 'console-pin-first');
    await expectNoSeriousAxeViolations(page, 'first PIN');
    await typePin(page, PIN);
    await screenshot(page, 'console-pin-typed');
    await press(page, 'pin-submit');
    await expect.poll(() => page.getByTestId('pin-prompt').innerText()).toContain('again');
    // A different PIN the second time: choose again.
    await typePin(page, '135791');
    await press(page, 'pin-submit');
    await expect.poll(() => page.getByTestId('pin-message').innerText()).toContain('not the same');
    // A PIN anyone would guess is refused, with the reason.
    await typePin(page, '123456');
    await press(page, 'pin-submit');
    await typePin(page, '123456');
    await press(page, 'pin-submit');
    await expect.poll(() => page.getByTestId('pin-message').innerText()).toContain('too easy');
    await typePin(page, PIN);
    await press(page, 'pin-submit');
    // The keyboard works as well as the keypad.
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await waitForScreen(page, 'staff-console');
    expect(await kiosk.kiosk.services.staff.pins.status()).toMatchObject({ state: 'set' });

    const rows = page.getByTestId('queue-row');
    await rows.first().waitFor();
    await expect
      .poll(() => page.getByTestId('queue-count').innerText())
      .toContain(WAITING_JOBS.toLocaleString('en'));
    await expect
      .poll(() => page.getByTestId('total-queued').innerText())
      .toContain(String(WAITING_JOBS));
    // Virtual: only the rows on view (and a few beside) are in the page.
    expect(await rows.count()).toBeLessThan(60);
    await screenshot(page, 'console-queue');
    await expectNoSeriousAxeViolations(page, 'queue');

    // Scrolled to the end, the oldest job (with its network problem, in words) is there.
    await page.getByTestId('queue-list-scroller').evaluate((element) => {
      // DOM types are not in the test's tsconfig: the element as the page sees it.
      const scroller = element as unknown as { scrollTop: number; scrollHeight: number };
      scroller.scrollTop = scroller.scrollHeight;
    });
    const oldest = page.locator(`[data-testid="queue-row"][data-ticket="${oldestTicket}"]`);
    await oldest.waitFor({ timeout: 10_000 });
    expect(await oldest.innerText()).toContain('could not be reached');
    expect(await rows.count()).toBeLessThan(60);
    await screenshot(page, 'console-queue-end');
  }, 120_000);

  it('cannot be opened from the consent screen, by shortcut or corner', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await openAndStart(page, kiosk.url);
    await page.keyboard.press('Control+Shift+KeyS');
    await page.keyboard.press('Control+Alt+KeyS');
    await page.mouse.move(10, 10);
    await page.mouse.down();
    await page.waitForTimeout(2500);
    await page.mouse.up();
    expect(await page.locator('[data-screen="consent"]').isVisible()).toBe(true);
    expect(await page.locator('[data-screen^="staff"]').count()).toBe(0);
    expect(await page.getByTestId('staff-corner').count()).toBe(0);
  }, 60_000);

  it('a long press on the corner opens it, a tap does not; a wrong PIN says the tries left', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await page.goto(kiosk.url);
    await waitForScreen(page, 'attract');
    const corner = await page.getByTestId('staff-corner').boundingBox();
    expect(corner).not.toBeNull();
    const x = corner!.x + corner!.width / 2;
    const y = corner!.y + corner!.height / 2;
    // A tap: neither the console nor the customer's way.
    await page.mouse.click(x, y);
    await page.waitForTimeout(500);
    expect(await page.locator('[data-screen="attract"]').isVisible()).toBe(true);
    // Held for under two seconds: nothing.
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.waitForTimeout(1000);
    await page.mouse.up();
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-screen="attract"]').isVisible()).toBe(true);
    // Held: the PIN.
    await page.mouse.down();
    await waitForScreen(page, 'staff-pin', 5000);
    await page.mouse.up();

    await typePin(page, '000000');
    await press(page, 'pin-submit');
    await expect.poll(() => page.getByTestId('pin-message').innerText()).toMatch(/4 tries left/);
    await screenshot(page, 'console-pin-wrong');
    await expectNoSeriousAxeViolations(page, 'wrong PIN');
    await signInWithPin(page);
    await press(page, 'console-close');
    await waitForScreen(page, 'attract');
    await eventually(
      'Close signs staff out',
      () => !kiosk.kiosk.services.staff.session.isSignedIn(),
    );
  }, 60_000);

  it('every section, landscape 1280x720', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await openByShortcut(page);
    await signInWithPin(page);

    // Find a waiting job by the ticket a customer reads out, with a dash and in lower case.
    await page
      .getByTestId('ticket-search')
      .fill(`${oldestTicket.slice(0, 3).toLowerCase()}-${oldestTicket.slice(3).toLowerCase()}`);
    const found = page.locator(`[data-testid="queue-row"][data-ticket="${oldestTicket}"]`);
    await found.waitFor();
    await screenshot(page, 'console-queue-search');
    // Discard asks first; Keep it keeps it.
    await found.getByTestId('job-discard').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await screenshot(page, 'console-queue-discard-confirm');
    await expectNoSeriousAxeViolations(page, 'discard dialog');
    await press(page, 'confirm-cancel');
    expect(kiosk.kiosk.services.store.getByTicket(oldestTicket)?.state).not.toBe('failed');
    await found.getByTestId('job-retry').click();
    await expect.poll(() => page.getByTestId('queue-notice').innerText()).toContain(oldestTicket);
    expect(kiosk.kiosk.services.store.getByTicket(oldestTicket)?.state).toBe('queued');
    await found.getByTestId('job-discard').click();
    await press(page, 'confirm-ok');
    await expect.poll(() => page.getByTestId('queue-notice').innerText()).toContain('discarded');
    expect(kiosk.kiosk.services.store.getByTicket(oldestTicket)?.state).toBe('failed');
    // A finished ticket typed in full: the console says where it is.
    await page.getByTestId('ticket-search').fill(finishedTicket);
    await expect.poll(() => page.getByTestId('queue-empty').innerText()).toContain('finished');
    await page.getByTestId('ticket-search').fill('');

    await tab(page, 'results');
    const result = page.locator(`[data-testid="results-row"][data-ticket="${trainingTicket}"]`);
    await result.waitFor();
    expect(await result.innerText()).toContain('Verified');
    expect(await result.innerText()).toMatch(/Purged on/);
    await screenshot(page, 'console-results');
    await expectNoSeriousAxeViolations(page, 'results');

    await tab(page, 'settings');
    const threshold = page.getByTestId('setting-livenessThreshold');
    await threshold.waitFor();
    await screenshot(page, 'console-settings');
    await expectNoSeriousAxeViolations(page, 'settings');
    await threshold.fill('0.72');
    await page.getByTestId('setting-idle.resultSeconds').fill('45');
    await press(page, 'settings-save');
    await expect.poll(() => page.getByTestId('settings-message').innerText()).toContain('saved');
    expect(kiosk.kiosk.services.settings.current()).toMatchObject({
      livenessThreshold: 0.72,
      idle: { resultSeconds: 45 },
    });
    // A value out of range: the main process's words next to the form, nothing saved.
    await threshold.fill('7');
    expect(await page.getByTestId('error-livenessThreshold').innerText()).toContain('from 0 to 1');
    await press(page, 'settings-save');
    await expect
      .poll(() => page.getByTestId('settings-message').getAttribute('role'))
      .toBe('alert');
    await screenshot(page, 'console-settings-error');
    expect(kiosk.kiosk.services.settings.current().livenessThreshold).toBe(0.72);
    await press(page, 'settings-reset');
    // A value only the main process can refuse: its words, next to the form.
    await page.getByTestId('setting-baseUrls.kairos').fill('http://gateway.bank.example');
    await press(page, 'settings-save');
    await expect
      .poll(() => page.getByTestId('settings-message').innerText())
      .toMatch(/Not saved.*https/);
    await screenshot(page, 'console-settings-refused');
    expect(kiosk.kiosk.services.settings.current().baseUrls.kairos).toBeNull();
    await press(page, 'settings-reset');

    await tab(page, 'credentials');
    await page.getByTestId('credentials-mode').waitFor();
    expect(await page.getByTestId('credentials-mode').innerText()).toContain('training');
    expect(await page.getByTestId('credential-kairos-appKey').getAttribute('type')).toBe(
      'password',
    );
    await press(page, 'test-connection-kairos');
    const connection = page.locator('[data-testid="connection-result-kairos"] [data-result]');
    await connection.waitFor({ timeout: 30_000 });
    await screenshot(page, 'console-credentials');
    await connection.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-credentials-tested');
    await expectNoSeriousAxeViolations(page, 'credentials');

    await tab(page, 'audit');
    await press(page, 'audit-verify');
    await page.locator('[data-testid="audit-result"] [data-result="ok"]').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      press(page, 'audit-export'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/seq/i);
    await page.getByTestId('audit-export-result').waitFor();
    await screenshot(page, 'console-audit');
    await expectNoSeriousAxeViolations(page, 'audit');

    await press(page, 'console-sign-out');
    await waitForScreen(page, 'attract');
    expect(kiosk.kiosk.services.staff.session.isSignedIn()).toBe(false);
  }, 120_000);

  it('every section, portrait 1080x1920', async () => {
    browser = await launchKioskBrowser({ viewport: PORTRAIT });
    const { page } = browser;
    await openByShortcut(page);
    await waitForScreen(page, 'staff-pin');
    await screenshot(page, 'console-portrait-pin');
    await signInWithPin(page);
    await page.getByTestId('queue-row').first().waitFor();
    await screenshot(page, 'console-portrait-queue');
    for (const name of ['results', 'settings', 'credentials', 'audit']) {
      await tab(page, name);
      await page.waitForTimeout(300);
      await screenshot(page, `console-portrait-${name}`);
    }
    await press(page, 'console-close');
    await waitForScreen(page, 'attract');
  }, 90_000);

  it('goes back to the attract screen when the main process signs staff out', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await openByShortcut(page);
    await signInWithPin(page);
    kiosk.kiosk.services.staff.session.signOut();
    await waitForScreen(page, 'attract', 10_000);
    await eventually('staff signed out', () => !kiosk.kiosk.services.staff.session.isSignedIn());
  }, 60_000);

  // Last: it locks this kiosk's console for five minutes.
  it('five wrong PINs lock the console, with a countdown, and no digit is taken meanwhile', async () => {
    browser = await launchKioskBrowser({ viewport: LANDSCAPE });
    const { page } = browser;
    await openByShortcut(page);
    await waitForScreen(page, 'staff-pin');
    await page.getByTestId('pin-submit').waitFor();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await typePin(page, '999999');
      await press(page, 'pin-submit');
      if (attempt < 4) {
        await expect.poll(() => page.getByTestId('pin-message').innerText()).toMatch(/left/);
      }
    }
    const countdown = page.getByTestId('pin-countdown');
    await countdown.waitFor();
    const first = await countdown.innerText();
    expect(first).toMatch(/Try again in [45]:\d\d/);
    await expect.poll(() => countdown.innerText(), { timeout: 5000 }).not.toBe(first);
    expect(await page.getByTestId('pin-key-1').isDisabled()).toBe(true);
    await screenshot(page, 'console-pin-locked');
    await expectNoSeriousAxeViolations(page, 'locked PIN');
  }, 60_000);
});

describe('a kiosk whose bank sets some settings by policy', () => {
  it('shows them locked ("Set by your bank’s policy", here in Russian) and saves the others', async () => {
    await requireRealKeychain();
    const dataDir = mkdtempSync(join(tmpdir(), 'kv-ui-policy-'));
    const policyFile = join(dataDir, 'policy.json');
    // A setting of the kiosk's own, not the default: saving another must not reset it.
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ retentionDays: 14 }));
    writeFileSync(
      policyFile,
      JSON.stringify({
        livenessThreshold: 0.75,
        idle: { resultSeconds: 20 },
        languages: ['ru', 'kk'],
      }),
    );
    const keychain = isolatedKeychainStore();
    const policed = await startKiosk({ dataDir, secrets: keychain.store, policyFile });
    const harness = await startHarness({
      commands: policed.commands,
      onEvent: (listener) => policed.onEvent(listener),
      rendererDir: join(REPO_ROOT, 'dist', 'renderer'),
      onInternalError: (channel, error) => {
        throw new Error(`internal error in ${channel}`, { cause: error });
      },
    });
    try {
      browser = await launchKioskBrowser({ viewport: LANDSCAPE });
      const { page } = browser;
      await page.goto(harness.url);
      await waitForScreen(page, 'attract');
      await page.keyboard.press('Control+Alt+KeyS');
      await waitForScreen(page, 'staff-pin');
      await page.getByTestId('pin-submit').waitFor();
      await page.keyboard.type(PIN);
      await page.keyboard.press('Enter');
      await page.keyboard.type(PIN);
      await page.keyboard.press('Enter');
      await waitForScreen(page, 'staff-console');
      await tab(page, 'settings');
      const threshold = page.getByTestId('setting-livenessThreshold');
      await threshold.waitFor();
      expect(await threshold.isDisabled()).toBe(true);
      expect(await threshold.inputValue()).toBe('0.75');
      expect(await page.getByTestId('setting-idle.resultSeconds').isDisabled()).toBe(true);
      expect(await page.getByTestId('setting-idle.otherSeconds').isDisabled()).toBe(false);
      expect(await page.getByTestId('setting-languages.en').isDisabled()).toBe(true);
      // English is not offered any more: the kiosk, and so the console, speaks Russian.
      expect(await page.getByTestId('locked-livenessThreshold').innerText()).toContain(
        'Задано политикой вашего банка',
      );
      await screenshot(page, 'console-settings-locked');
      await expectNoSeriousAxeViolations(page, 'settings with a policy');
      // The group the locked value sits in is sent whole, its locked value unchanged: saved.
      await page.getByTestId('setting-idle.otherSeconds').fill('120');
      await press(page, 'settings-save');
      await expect
        .poll(() => page.getByTestId('settings-message').innerText())
        .toContain('Настройки сохранены');
      await screenshot(page, 'console-settings-locked-saved');
      expect(policed.services.settings.current().idle).toEqual({
        resultSeconds: 20,
        otherSeconds: 120,
      });
      expect(policed.services.settings.current().retentionDays).toBe(14);
    } finally {
      await browser?.close();
      browser = null;
      await harness.close();
      await policed.close();
      await keychain.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
