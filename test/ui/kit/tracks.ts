/**
 * Camera-track bookkeeping: an init script that records every MediaStreamTrack the page gets
 * from getUserMedia (and clones of them) in `window.__kioskTracks`, so a suite can check that
 * the UI releases the camera (`liveTracks(page) === 0`) when a session ends.
 */
import type { BrowserContext, Page } from 'playwright-core';

/**
 * Plain JavaScript, not a function: Playwright sends a function's source text to the page, and
 * tsx (which the benchmarks run under) adds `__name(...)` helpers to it that the page lacks.
 * Runs before the page's own scripts, in every frame.
 */
export const TRACKS_INIT_SCRIPT = `(() => {
  if (window.__kioskTracks !== undefined) return;
  const tracks = [];
  Object.defineProperty(window, '__kioskTracks', { value: tracks, enumerable: false });
  if (typeof MediaDevices !== 'undefined') {
    const getUserMedia = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = function (constraints) {
      return getUserMedia.call(this, constraints).then((stream) => {
        tracks.push(...stream.getTracks());
        return stream;
      });
    };
  }
  if (typeof MediaStreamTrack !== 'undefined') {
    const clone = MediaStreamTrack.prototype.clone;
    MediaStreamTrack.prototype.clone = function () {
      const copy = clone.call(this);
      if (tracks.includes(this)) tracks.push(copy);
      return copy;
    };
  }
})();`;

/** Installs the recorder for every page of a context, or for one page's future documents. */
export async function recordTracks(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(TRACKS_INIT_SCRIPT);
}

/** A recorded track as the page last saw it. */
export interface RecordedTrack {
  kind: string;
  label: string;
  readyState: 'live' | 'ended';
}

const READ_TRACKS = `(() => {
  const tracks = window.__kioskTracks;
  return tracks === undefined
    ? null
    : tracks.map((t) => ({ kind: t.kind, label: t.label, readyState: t.readyState }));
})()`;

/**
 * Every track handed out in the page's current documents (main frame and iframes). Throws when
 * the recorder is not installed in the main frame: a count of 0 would otherwise prove nothing.
 */
export async function recordedTracks(page: Page): Promise<RecordedTrack[]> {
  const all: RecordedTrack[] = [];
  for (const frame of page.frames()) {
    const tracks = await frame.evaluate<RecordedTrack[] | null>(READ_TRACKS).catch(
      // A frame detaching mid-count has released its tracks with it.
      (error: unknown) => (frame === page.mainFrame() ? Promise.reject(error) : []),
    );
    if (tracks === null && frame === page.mainFrame()) {
      throw new Error(
        'The track recorder is not installed: call recordTracks(page or context) before the page loads',
      );
    }
    all.push(...(tracks ?? []));
  }
  return all;
}

/** How many recorded tracks are still live (readyState 'live'): the camera is on while > 0. */
export async function liveTracks(page: Page): Promise<number> {
  return (await recordedTracks(page)).filter((track) => track.readyState === 'live').length;
}
