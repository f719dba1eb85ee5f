/**
 * Every screen, in every language, as a customer at arm's length and a screen reader meet it:
 * no catalogue key shown for a missing word, no serious or critical axe-core violation, the
 * page's language set, and a screenshot of each (under .tmp/ui-screens/) on a portrait
 * 1080x1920 kiosk and a landscape 1920x1080 one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from './kit/axe.js';
import { launchKioskBrowser, type KioskBrowser } from './kit/browser.js';
import { startTestKiosk, type TestKiosk } from './kit/kiosk.js';
import { screenshot } from './kit/screens.js';
import { press, visibleCatalogueKeys, waitForResult, waitForScreen } from './kit/walk.js';

const LANGUAGES = ['en', 'ru', 'kk'] as const;
const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };

let browser: KioskBrowser | null = null;
afterEach(async () => {
  await browser?.close();
  browser = null;
});

let kiosk: TestKiosk;
beforeAll(async () => {
  kiosk = await startTestKiosk({ defaultSessionKind: 'liveness-and-match' });
});
afterAll(() => kiosk?.close());

/** The checks every screen gets. */
async function check(page: KioskBrowser['page'], language: string, screen: string, name: string) {
  await waitForScreen(page, screen);
  expect(await page.evaluate('document.documentElement.lang')).toBe(language);
  expect(await visibleCatalogueKeys(page), `catalogue keys on ${screen} (${language})`).toEqual([]);
  await expectNoSeriousAxeViolations(page, `${screen} (${language})`);
  await screenshot(page, name);
}

describe.each(LANGUAGES)('in %s', (language) => {
  it('every screen of a face-match session, portrait and landscape', async () => {
    const emulator = kiosk.kiosk.emulator!;
    browser = await launchKioskBrowser({ clip: 'idCard', viewport: PORTRAIT });
    const { page } = browser;
    const shot = (screen: string, layout = 'portrait') => `${language}-${layout}-${screen}`;
    const both = async (screen: string) => {
      await check(page, language, screen, shot(screen));
      await page.setViewportSize(LANDSCAPE);
      await check(page, language, screen, shot(screen, 'landscape'));
      await page.setViewportSize(PORTRAIT);
    };

    await page.goto(kiosk.url);
    await waitForScreen(page, 'attract');
    await press(page, `language-${language}`);
    await both('attract');
    await press(page, 'start');
    await both('consent');
    await press(page, 'consent-agree');
    await check(page, language, 'id-photo', shot('id-photo'));
    await both('review');
    await press(page, 'continue');
    await check(page, language, 'selfie', shot('selfie'));
    await waitForScreen(page, 'review');
    // Slow the vendor so the sending screen stays long enough to look at.
    emulator.setFaults('kairos-biometric-v0.1', { latencyMs: 8000, forRequests: 1 });
    await press(page, 'continue');
    await both('sending');
    const result = await waitForResult(page, 30_000);
    await both(result);
  }, 240_000);

  it('the results a customer can get, and the camera problem', async () => {
    const emulator = kiosk.kiosk.emulator!;
    browser = await launchKioskBrowser({ clip: 'idCard', viewport: LANDSCAPE });
    const { page } = browser;
    const toResult = async () => {
      await page.goto(kiosk.url);
      await waitForScreen(page, 'attract');
      await press(page, `language-${language}`);
      await press(page, 'start');
      await press(page, 'consent-agree');
      await waitForScreen(page, 'review');
      await press(page, 'continue');
      await waitForScreen(page, 'review');
      await press(page, 'continue');
      return waitForResult(page);
    };
    // A selfie the vendor finds not live.
    emulator.setScores('kairos-biometric-v0.1', { liveness: 0.1 });
    try {
      const notVerified = await toResult();
      expect(notVerified).toBe('result-not-verified');
      await check(page, language, notVerified, `${language}-landscape-${notVerified}`);
    } finally {
      emulator.setScores('kairos-biometric-v0.1', {});
    }
    // The vendor cannot be reached: the ticket.
    emulator.setFaults('kairos-biometric-v0.1', { serverErrorStatus: 503, forRequests: 1 });
    const queued = await toResult();
    expect(queued).toBe('result-queued');
    await check(page, language, queued, `${language}-landscape-${queued}`);
    await browser.close();

    // No camera at all: a screen that says what to do, and a way back.
    browser = await launchKioskBrowser({ noCamera: true, viewport: PORTRAIT });
    await browser.page.goto(kiosk.url);
    await waitForScreen(browser.page, 'attract');
    await press(browser.page, `language-${language}`);
    await press(browser.page, 'start');
    await press(browser.page, 'consent-agree');
    await check(browser.page, language, 'camera-problem', `${language}-portrait-no-camera`);
    await press(browser.page, 'back-to-start');
    await waitForScreen(browser.page, 'attract');
  }, 240_000);
});

it('a denied camera permission shows what to do and a way back', async () => {
  browser = await launchKioskBrowser({ denyCamera: true, viewport: LANDSCAPE });
  const { page } = browser;
  await page.goto(kiosk.url);
  await waitForScreen(page, 'attract');
  await press(page, 'start');
  await press(page, 'consent-agree');
  await check(page, 'en', 'camera-problem', 'en-landscape-camera-denied');
  await press(page, 'back-to-start');
  await waitForScreen(page, 'attract');
}, 60_000);

it('takes a customer to the camera by keyboard alone, with a visible focus ring', async () => {
  browser = await launchKioskBrowser({ clip: 'twoFaces', viewport: LANDSCAPE });
  const { page } = browser;
  await page.goto(kiosk.url);
  await waitForScreen(page, 'attract');
  /** Tabs until the button with this test id has the focus; fails if it never does. */
  const tabTo = async (testId: string) => {
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(
        "document.activeElement && document.activeElement.getAttribute('data-testid')",
      );
      if (focused === testId) {
        const outline = await page.evaluate(
          'getComputedStyle(document.activeElement).outlineStyle',
        );
        expect(outline, `focus ring on ${testId}`).not.toBe('none');
        return;
      }
    }
    throw new Error(`${testId} is not reachable with Tab`);
  };
  await tabTo('start');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'consent');
  await tabTo('consent-agree');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'id-photo');
  // The guidance is a polite live region: announced when it changes, never interrupting.
  const guidance = page.getByTestId('guidance');
  expect(await guidance.getAttribute('aria-live')).toBe('polite');
  await tabTo('back-to-start');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'attract');
}, 60_000);
