/**
 * What a kiosk left alone and a hostile page must not be able to do: every screen times out back
 * to the attract screen with every camera track ended and the session's pictures dropped; a
 * cancel while sending drops the verification; messages off the contract, frames for an ended
 * session and requests without the harness's token get typed errors while the kiosk goes on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchKioskBrowser, type KioskBrowser } from './kit/browser.js';
import { startTestKiosk, type TestKiosk } from './kit/kiosk.js';
import { liveTracks } from './kit/tracks.js';
import { eventually, openAndStart, press, waitForResult, waitForScreen } from './kit/walk.js';

let browser: KioskBrowser | null = null;
afterEach(async () => {
  await browser?.close();
  browser = null;
});

/**
 * A hostile script in the kiosk's own page speaks to the harness's socket itself: a payload off
 * the contract, text that is not JSON, and a binary frame for a session that ended (or never
 * was). Plain JavaScript: it runs in the page.
 */
const HOSTILE_PAGE_SCRIPT = `(async () => {
  const ws = new WebSocket('ws://' + location.host + '/kiosk-ws');
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
  const next = () => new Promise((resolve) => {
    const onMessage = (message) => {
      const parsed = JSON.parse(message.data);
      if (parsed.result === undefined) return; // an event, not an answer
      ws.removeEventListener('message', onMessage);
      resolve(parsed.result);
    };
    ws.addEventListener('message', onMessage);
  });
  const replies = [];
  ws.send('{"id": 1, "channel": "session:start", "input": {"kind": 42}}');
  replies.push(await next());
  ws.send('not json at all');
  replies.push(await next());
  const header = new TextEncoder().encode(JSON.stringify({
    id: 3,
    channel: 'session:analyze-frame',
    input: {
      sessionId: '7d4cbd56-2f7e-4a8a-9b43-2b1c1e1a0c11',
      role: 'selfie',
      frame: { width: 16, height: 16 },
    },
  }));
  const message = new Uint8Array(4 + header.length + 16 * 16 * 4);
  new DataView(message.buffer).setUint32(0, header.length, true);
  message.set(header, 4);
  ws.send(message);
  replies.push(await next());
  ws.close();
  return replies;
})()`;

/**
 * Short idle timeouts: the result's is the shortest the settings allow; elsewhere 20 s leaves a
 * loaded 2-core test machine time to reach the review screen before the customer "leaves".
 */
const IDLE = { otherSeconds: 20, resultSeconds: 5 };

describe('idle on each screen', () => {
  let kiosk: TestKiosk;
  beforeAll(async () => {
    kiosk = await startTestKiosk({ idle: IDLE });
  });
  afterAll(() => kiosk?.close());

  async function backToAttractIdle(browserPage: KioskBrowser['page'], screen: string) {
    const since = Date.now();
    await waitForScreen(browserPage, 'attract', 45_000);
    const waited = Date.now() - since;
    expect(await liveTracks(browserPage), `camera tracks after idle on ${screen}`).toBe(0);
    expect(kiosk.kiosk.services.sessions.picturesHeld).toBe(0);
    return waited;
  }

  it('consent, the selfie and the review screens go back to attract and end the camera', async () => {
    // Two faces: guidance never says "good", so the selfie screen stays until idle.
    browser = await launchKioskBrowser({ clip: 'twoFaces' });
    const { page } = browser;
    await openAndStart(page, kiosk.url);
    await backToAttractIdle(page, 'consent');

    await press(page, 'start');
    await press(page, 'consent-agree');
    await waitForScreen(page, 'selfie');
    await eventually('the camera on', async () => (await liveTracks(page)) > 0);
    // Guidance frames are not activity: the customer walked away with the camera on.
    await backToAttractIdle(page, 'selfie');
  }, 120_000);

  it('the review and the result screens go back to attract', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    await openAndStart(page, kiosk.url);
    await press(page, 'consent-agree');
    await waitForScreen(page, 'review');
    await backToAttractIdle(page, 'review');

    await press(page, 'start');
    await press(page, 'consent-agree');
    await waitForScreen(page, 'review');
    await press(page, 'continue');
    await waitForResult(page);
    const waited = await backToAttractIdle(page, 'result');
    // The result screen's own, shorter timeout.
    expect(waited).toBeLessThan(IDLE.otherSeconds * 1000);
  }, 120_000);

  /**
   * Takes a customer to the sending screen while the vendor takes a minute to answer, runs
   * `leave` there, and checks that nothing was queued and the kiosk is back at the start.
   */
  async function leaveWhileSending(leave: (page: KioskBrowser['page']) => Promise<void>) {
    const emulator = kiosk.kiosk.emulator!;
    emulator.setFaults('kairos-liveness-v0.2', { latencyMs: 60_000 });
    try {
      browser = await launchKioskBrowser({ clip: 'oneFace' });
      const { page } = browser;
      const queued = kiosk.kiosk.services.store.list().length;
      await openAndStart(page, kiosk.url);
      await press(page, 'consent-agree');
      await waitForScreen(page, 'review');
      await press(page, 'continue');
      await waitForScreen(page, 'sending');
      await leave(page);
      expect(await liveTracks(page)).toBe(0);
      expect(kiosk.kiosk.services.store.list()).toHaveLength(queued);
    } finally {
      emulator.clearFaults();
    }
  }

  it('Cancel while sending goes back to the start and queues nothing', async () => {
    await leaveWhileSending(async (page) => {
      await press(page, 'cancel');
      await waitForScreen(page, 'attract', 15_000);
    });
  }, 120_000);
});

describe('idle while sending', () => {
  // Its own kiosk: the sending screen's idle timeout must end before the online deadline (20 s,
  // after which the verification is queued anyway), so it is the shortest the settings allow.
  let kiosk: TestKiosk;
  beforeAll(async () => {
    kiosk = await startTestKiosk({ idle: { otherSeconds: 10, resultSeconds: 5 } });
  });
  afterAll(() => kiosk?.close());

  it('cancels the verification and goes back to the start; nothing is queued', async () => {
    const emulator = kiosk.kiosk.emulator!;
    emulator.setFaults('kairos-liveness-v0.2', { latencyMs: 60_000 });
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    // The customer stays (touches the screen) until the review, then waits while it sends.
    const touching = setInterval(
      () => void page.keyboard.press('Shift').catch(() => undefined),
      2000,
    );
    try {
      const queued = kiosk.kiosk.services.store.list().length;
      await openAndStart(page, kiosk.url);
      await press(page, 'consent-agree');
      await waitForScreen(page, 'review');
      await press(page, 'continue');
      await waitForScreen(page, 'sending');
      clearInterval(touching);
      await waitForScreen(page, 'attract', 20_000);
      expect(await liveTracks(page)).toBe(0);
      expect(kiosk.kiosk.services.sessions.picturesHeld).toBe(0);
      expect(kiosk.kiosk.services.store.list()).toHaveLength(queued);
    } finally {
      clearInterval(touching);
      emulator.clearFaults();
    }
  }, 120_000);
});

describe('the border holds', () => {
  let kiosk: TestKiosk;
  beforeAll(async () => {
    kiosk = await startTestKiosk();
  });
  afterAll(() => kiosk?.close());

  it('answers a broken payload and a frame for an ended session with typed errors', async () => {
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    const { page } = browser;
    await openAndStart(page, kiosk.url);
    const answers = (await page.evaluate(HOSTILE_PAGE_SCRIPT)) as unknown[];
    expect(answers).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'bad-input' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'bad-input' }) }),
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ code: 'invalid-state' }),
      }),
    ]);
    // The kiosk goes on: the customer's way still works.
    await press(page, 'consent-agree');
    await waitForScreen(page, 'review');
    await press(page, 'continue');
    expect(await waitForResult(page)).toBe('result-verified');
  }, 120_000);

  it('refuses a page or a socket without the harness token', { timeout: 60_000 }, async () => {
    const page = await fetch(`${kiosk.harness.origin}/`);
    expect(page.status).toBe(403);
    browser = await launchKioskBrowser({ clip: 'oneFace' });
    // Another site open in the same browser: the socket refuses its Origin.
    await browser.page.goto('about:blank');
    const opened = await browser.page.evaluate(
      `new Promise((resolve) => {
        const ws = new WebSocket(${JSON.stringify(kiosk.harness.origin.replace('http', 'ws') + '/kiosk-ws')});
        ws.onopen = () => resolve(true);
        ws.onerror = () => resolve(false);
      })`,
    );
    expect(opened).toBe(false);
    // And the kiosk itself still opens with its address.
    await browser.page.goto(kiosk.url);
    await waitForScreen(browser.page, 'attract');
  });
});
