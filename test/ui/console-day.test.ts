/**
 * A branch day through the staff console, in Chromium against the harness: settings changed in
 * the console take effect for the next customer without a restart (the liveness threshold
 * decides the verdict; the idle timeout sends an abandoned screen back sooner); a vendor outage
 * queues a customer's verification, the console shows it waiting with the reason, Retry now
 * delivers it once the vendor is back, and the result shows with its ticket; diagnostics save
 * as a download.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchKioskBrowser, type KioskBrowser } from './kit/browser.js';
import { startTestKiosk, type TestKiosk } from './kit/kiosk.js';
import { screenshot } from './kit/screens.js';
import { openAndStart, press, waitForResult, waitForScreen } from './kit/walk.js';

const PIN = '380451';

let browser: KioskBrowser | null = null;
let kiosk: TestKiosk;
beforeAll(async () => {
  kiosk = await startTestKiosk();
  await kiosk.kiosk.services.staff.pins.setPin(PIN);
}, 60_000);
afterAll(() => kiosk?.close());
afterEach(async () => {
  kiosk.kiosk.emulator?.clearFaults();
  await browser?.close();
  browser = null;
});

async function openConsole(page: Page): Promise<void> {
  await page.goto(kiosk.url);
  await waitForScreen(page, 'attract');
  await page.keyboard.press('Control+Shift+KeyS');
  await waitForScreen(page, 'staff-pin');
  await page.getByTestId('pin-submit').waitFor();
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'staff-console');
}

async function saveSetting(page: Page, path: string, value: string): Promise<void> {
  await press(page, 'tab-settings');
  await page.getByTestId('panel-settings').waitFor();
  await page.getByTestId(`setting-${path}`).fill(value);
  await press(page, 'settings-save');
  await expect.poll(() => page.getByTestId('settings-message').innerText()).toMatch(/saved/i);
}

/** One customer, from the attract screen to a result screen (auto-capture on the clip's face). */
async function customer(page: Page): Promise<string> {
  await openAndStart(page, kiosk.url);
  await press(page, 'consent-agree');
  await waitForScreen(page, 'review', 45_000);
  await press(page, 'continue');
  return waitForResult(page);
}

describe('settings changed in the console reach the next customer, no restart', () => {
  it('the liveness threshold decides the verdict the vendor answer gets', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    expect(await customer(page)).toBe('result-verified');
    const first = kiosk.kiosk.services.store.list(1)[0]!;
    expect(first.result?.liveness.threshold).toBe(0.6);
    const score = first.result!.liveness.score;

    // Above the score the vendor gives this face: the same face is no longer live.
    await openConsole(page);
    await saveSetting(page, 'livenessThreshold', String(Math.min(1, score + 0.02).toFixed(2)));
    await screenshot(page, 'console-day-threshold-saved');
    await press(page, 'console-close');
    await waitForScreen(page, 'attract');
    expect(await customer(page)).not.toBe('result-verified');
    const second = kiosk.kiosk.services.store.list(1)[0]!;
    expect(second.id).not.toBe(first.id);
    expect(second.result?.liveness.threshold).toBeCloseTo(Math.min(1, score + 0.02), 2);
    expect(second.result?.liveness.live).toBe(false);
    kiosk.kiosk.services.settings.update({ livenessThreshold: 0.6 });
  }, 180_000);

  it('a shorter idle timeout sends an abandoned consent screen back sooner', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    await openConsole(page);
    await saveSetting(page, 'idle.otherSeconds', '10');
    await press(page, 'console-close');
    await waitForScreen(page, 'attract');
    await press(page, 'start');
    await waitForScreen(page, 'consent');
    const left = Date.now();
    // Back well before the default 90 s.
    await waitForScreen(page, 'attract', 30_000);
    expect(Date.now() - left).toBeGreaterThan(8_000);
    kiosk.kiosk.services.settings.update({ idle: { resultSeconds: 30, otherSeconds: 90 } });
  }, 120_000);
});

describe('a vendor outage through the console', () => {
  it('queues the customer, shows the job waiting with the reason, Retry now delivers it, the result shows', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    const emulator = kiosk.kiosk.emulator!;
    emulator.setFaults('kairos-liveness-v0.2', { serverErrorStatus: 503 });
    expect(await customer(page)).toBe('result-queued');
    const ticket = (await page.getByTestId('ticket').innerText()).replace(/[\s-]/g, '');
    expect(ticket).toMatch(/^[2-9A-Z]{6}$/);
    await press(page, 'done');

    await openConsole(page);
    const row = page.locator(`[data-testid="queue-row"][data-ticket="${ticket}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.innerText()).toMatch(/vendor/i);
    await screenshot(page, 'console-day-outage-waiting');

    emulator.clearFaults();
    await row.getByTestId('job-retry').click();
    await expect
      .poll(() => kiosk.kiosk.services.store.getByTicket(ticket)?.state, { timeout: 30_000 })
      .toBe('done');
    await press(page, 'tab-results');
    await page.getByTestId('panel-results').waitFor();
    const result = page.locator(`[data-testid="results-row"][data-ticket="${ticket}"]`);
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getByTestId('job-verdict').innerText()).toMatch(/verified/i);
    // The selfie's measures went with the job: why a retake was asked, if one was.
    expect(await result.getByTestId('job-quality').innerText()).toMatch(
      /Head -?\d+° \/ -?\d+° \/ -?\d+°, eyes [\d.]+/,
    );
    await screenshot(page, 'console-day-outage-delivered');
  }, 180_000);

  it('Save diagnostics downloads the archive', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    await openConsole(page);
    await press(page, 'tab-audit');
    const download = page.waitForEvent('download');
    await press(page, 'diagnostics-save');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^kiosk-verify-diagnostics-.*\.tar\.gz$/);
    const path = await file.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    await expect.poll(() => page.getByTestId('diagnostics-result').innerText()).toMatch(/Saved/);
    await screenshot(page, 'console-day-support');
  }, 90_000);
});
