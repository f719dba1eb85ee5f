/**
 * The shell's Content-Security-Policy does not break the kiosk: the customer's whole way
 * (attract, consent, the camera and its guidance, the capture, the review still, a result) in
 * Chromium against the browser harness, which serves the same policy (connect-src aside, see
 * content-security-policy.test.ts), with every CSP violation and every "Refused to ..." console
 * line recorded. None may occur. The renderer is the built one (dist/renderer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKioskBrowser, type KioskBrowser } from '../ui/kit/browser.js';
import { startTestKiosk, type TestKiosk } from '../ui/kit/kiosk.js';
import { openAndStart, press, waitForResult, waitForScreen } from '../ui/kit/walk.js';

let kiosk: TestKiosk;
let browser: KioskBrowser | null = null;

beforeAll(async () => {
  kiosk = await startTestKiosk();
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

describe('the renderer under the Content-Security-Policy', () => {
  it('takes a customer from attract to a result with no CSP violation', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    await page.exposeFunction('__kioskCspViolation', (text: string) => refused.push(text));
    // In the page (a string: this file has Node's types, not the DOM's).
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        window.__kioskCspViolation(event.violatedDirective + ' blocked ' + event.blockedURI));`,
    });

    const policies: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') {
        policies.push(response.headers()['content-security-policy'] ?? '(none)');
      }
    });

    await openAndStart(page, kiosk.url);
    const csp = policies.at(-1);
    expect(csp).toContain("default-src 'none'");
    await press(page, 'consent-agree');
    await waitForScreen(page, 'selfie');
    // Guidance on screen: camera frames reach the main process over the socket and back.
    await page.getByTestId('guidance').first().waitFor({ state: 'visible' });
    // The kiosk captures by itself when the face is good; the staff-assisted button appears
    // after a while otherwise. Either way the review screen shows the still from a blob: URL.
    const review = page.locator('[data-screen="review"]');
    const manual = page.getByTestId('capture-manual');
    await review.or(manual).first().waitFor({ state: 'visible', timeout: 60_000 });
    if (await manual.isVisible()) await manual.click();
    await waitForScreen(page, 'review');
    await press(page, 'continue');
    expect(await waitForResult(page)).toMatch(/^result-/);
    expect(refused).toEqual([]);

    // The recorder works: a fetch of the page's own origin is refused (connect-src is the
    // harness's WebSocket only, not 'self') and shows up.
    await page.evaluate("fetch('/index.html').catch(() => null)");
    await expect.poll(() => refused.some((line) => /connect-src/.test(line))).toBe(true);
  }, 120_000);
});
