/**
 * Debian's Chromium (playwright-core drives it; `npx playwright install` is not needed) with a
 * fake camera playing a clip from ./clips.ts. Found by experiment on Chromium 156 with
 * playwright-core 1.65:
 *
 * - `--use-fake-device-for-media-stream` + `--use-file-for-fake-video-capture=<clip>.mjpeg`:
 *   one video input labelled with the file's path, delivering the clip's size (1280x720) at
 *   30 fps, looped. Frames need not differ.
 * - `--use-fake-ui-for-media-stream` grants camera requests without a prompt (and
 *   permissions.query reports 'granted'). It also overrides any denial: with it,
 *   `--deny-permission-prompts` and CDP Browser.setPermission 'denied' have no effect.
 * - Denied: leave out the fake-ui flag, pass `--deny-permission-prompts` (a request is refused
 *   with NotAllowedError instead of waiting on a prompt; headless Chromium refuses one anyway,
 *   the flag makes a headed debugging run behave the same), and block the camera for the context
 *   through CDP Browser.setPermission (so permissions.query says 'denied' before any request,
 *   as for a customer who blocked it). Browser.setPermission needs the context's id (sent
 *   from a page session without it, it silently applies to the default context instead), and
 *   its session must stay attached: Chromium drops the override when the session detaches.
 * - No camera: `--use-fake-device-for-media-stream=device-count=0` without the file flag makes
 *   Chromium's fake factory offer no video input at all: enumerateDevices lists none and
 *   getUserMedia rejects with a real NotFoundError. (With the file flag the count is ignored.
 *   Leaving out the fake device instead would open the machine's own webcam if it has one.)
 * - `--no-sandbox` only as root (Chromium refuses to start as root with its sandbox).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildClip, isClipName, type ClipName } from './clips.js';
import { recordTracks } from './tracks.js';

export interface KioskBrowserOptions {
  /** A clip name from ./clips.ts, or an absolute path to an .mjpeg/.y4m file. Default 'oneFace'. */
  clip?: ClipName | (string & {});
  /** No video input at all: getUserMedia rejects with NotFoundError. */
  noCamera?: boolean;
  /** The camera is blocked: getUserMedia rejects with NotAllowedError. */
  denyCamera?: boolean;
  /** Default: Playwright's 1280x720. */
  viewport?: { width: number; height: number };
  /** BCP 47, e.g. 'fr-CH': navigator.language(s) and Accept-Language. */
  locale?: string;
  /** Record camera tracks for liveTracks() (./tracks.ts). Default true. */
  recordTracks?: boolean;
  /** Default true; KIOSK_UI_HEADED=1 in the environment turns it off for debugging. */
  headless?: boolean;
  /** More Chromium flags. */
  args?: string[];
}

export interface KioskBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the context and the browser; safe to call twice. */
  close(): Promise<void>;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The Chromium flags for these options (exported for benchmark reports). */
export function kioskChromiumArgs(options: KioskBrowserOptions, clipFile: string | null): string[] {
  const args = ['--enable-precise-memory-info'];
  if (options.noCamera === true) {
    args.push('--use-fake-device-for-media-stream=device-count=0');
  } else {
    if (clipFile === null) throw new Error('A clip file is needed unless noCamera is set');
    args.push(
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${clipFile}`,
    );
  }
  args.push(
    options.denyCamera === true ? '--deny-permission-prompts' : '--use-fake-ui-for-media-stream',
  );
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return [...args, ...(options.args ?? [])];
}

export async function launchKioskBrowser(options: KioskBrowserOptions = {}): Promise<KioskBrowser> {
  const clipFile = options.noCamera === true ? null : await resolveClip(options.clip ?? 'oneFace');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? process.env.KIOSK_UI_HEADED !== '1',
    args: kioskChromiumArgs(options, clipFile),
  });
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= browser.close();
    return closed;
  };
  try {
    const context = await browser.newContext({
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
      ...(options.locale === undefined ? {} : { locale: options.locale }),
    });
    if (options.recordTracks ?? true) await recordTracks(context);
    const page = await context.newPage();
    if (options.denyCamera === true) await blockCamera(browser, context, page);
    return { browser, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function resolveClip(clip: string): Promise<string> {
  if (isClipName(clip)) return buildClip(clip);
  if (!path.isAbsolute(clip)) throw new Error(`Not a clip name nor an absolute path: ${clip}`);
  // Chromium given a missing file starts anyway and fails every getUserMedia obscurely.
  const info = await stat(clip).catch(() => null);
  if (info === null || !info.isFile()) throw new Error(`No clip file at ${clip}`);
  return clip;
}

/**
 * Camera 'denied' for every origin in this context, as set in Chromium's site settings. The
 * CDP session stays attached: Chromium drops a session's permission overrides when it detaches.
 */
async function blockCamera(browser: Browser, context: BrowserContext, page: Page): Promise<void> {
  const pageSession = await context.newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  await pageSession.detach();
  const browserSession = await browser.newBrowserCDPSession();
  await browserSession.send('Browser.setPermission', {
    permission: { name: 'camera' },
    setting: 'denied',
    browserContextId: targetInfo.browserContextId,
  });
}
