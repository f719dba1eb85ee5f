/**
 * The page's side of bench:ui: an init script that timestamps, without touching the renderer,
 * what crosses the harness's WebSocket (every command sent and the reply with its id), which
 * screen is shown (the root's `data-screen`) and which button was clicked (its data-testid).
 *
 * "On screen" is the first requestAnimationFrame callback after the reply's handler (or the
 * screen's DOM change) ran: the frame whose paint follows shows it.
 *
 * Times are epoch milliseconds (performance.timeOrigin + performance.now()), the same clock
 * Node's performance gives, so page and main-process timestamps can be compared after the
 * offset calibration in ./clock.ts.
 */
import type { Page } from 'playwright-core';

/** One command as the page sent it, and its reply. */
export interface CommandRecord {
  id: number;
  channel: string;
  /** Bytes handed to WebSocket.send (binary: header + pixels; text: UTF-16 length). */
  bytes: number;
  sentAt: number;
  /** The reply's message event reached the client's listener. */
  receivedAt: number;
  /** The client's listener returned (the pending promise is resolved). */
  handledAt: number;
  /** The next animation frame after that. */
  paintedAt: number;
}

export interface ScreenRecord {
  screen: string;
  /** The DOM showed this screen (MutationObserver callback, right after React's commit). */
  at: number;
  /** The next animation frame after that. */
  paintedAt: number;
}

export interface ClickRecord {
  testId: string;
  /** The click event, before React's own handler (a capture listener on window). */
  at: number;
}

export interface ProbeRecords {
  commands: CommandRecord[];
  screens: ScreenRecord[];
  clicks: ClickRecord[];
}

/**
 * Plain JavaScript, not a function: tsx adds `__name(...)` helpers to functions' source that
 * the page lacks. Runs before the page's own scripts.
 *
 * Wire format (preload/harness-wire.ts): a command with pixels is ONE binary message (4-byte LE
 * header length, JSON header with id and channel, pixels); any other command is JSON text
 * starting `{"id":N,"channel":"..."`; replies are JSON text starting `{"id":N,`.
 */
export const PROBE_INIT_SCRIPT = `(() => {
  if (window.__uiBench !== undefined) return;
  const now = () => performance.timeOrigin + performance.now();
  const pending = new Map();
  const done = [];
  const screens = [];
  const clicks = [];
  const probe = { recording: true, now };
  Object.defineProperty(window, '__uiBench', { value: probe, enumerable: false });

  const decoder = new TextDecoder();
  const headerOf = (data) => {
    if (typeof data === 'string') {
      const match = /^\\{"id":(\\d+),"channel":"([^"]+)"/.exec(data.slice(0, 200));
      return match === null ? null : { id: Number(match[1]), channel: match[2], bytes: data.length };
    }
    const bytes = data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    if (bytes === null || bytes.byteLength < 4) return null;
    const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
    try {
      const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length)));
      return { id: header.id, channel: header.channel, bytes: bytes.byteLength };
    } catch {
      return null;
    }
  };

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (probe.recording) {
      const sentAt = now();
      const header = headerOf(data);
      if (header !== null) pending.set(header.id, { ...header, sentAt });
    }
    return send.call(this, data);
  };

  const noteReply = (data, receivedAt) => {
    if (typeof data !== 'string' || !data.startsWith('{"id":')) return;
    const id = Number(/^\\{"id":(\\d+)/.exec(data)?.[1]);
    const record = pending.get(id);
    if (record === undefined) return;
    pending.delete(id);
    record.receivedAt = receivedAt;
    record.handledAt = now();
    requestAnimationFrame(() => {
      record.paintedAt = now();
      done.push(record);
    });
  };
  const timed = (listener) =>
    function (event) {
      const receivedAt = now();
      const result = typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
      noteReply(event.data, receivedAt);
      return result;
    };

  const wrapped = new WeakMap();
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message' || listener === null || listener === undefined) {
      return add.call(this, type, listener, options);
    }
    let wrapper = wrapped.get(listener);
    if (wrapper === undefined) {
      wrapper = timed(listener);
      wrapped.set(listener, wrapper);
    }
    return add.call(this, type, wrapper, options);
  };
  WebSocket.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, (type === 'message' && wrapped.get(listener)) || listener, options);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    ...onmessage,
    set(listener) {
      onmessage.set.call(this, typeof listener === 'function' ? timed(listener) : listener);
    },
  });

  let shown = null;
  const observer = new MutationObserver(() => {
    if (!probe.recording) return;
    const screen = document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? null;
    if (screen === shown) return;
    shown = screen;
    if (screen === null) return;
    const record = { screen, at: now(), paintedAt: NaN };
    screens.push(record);
    requestAnimationFrame(() => { record.paintedAt = now(); });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-screen'] });

  window.addEventListener('click', (event) => {
    if (!probe.recording) return;
    const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
    if (target !== null) clicks.push({ testId: target.getAttribute('data-testid'), at: now() });
  }, true);

  // Hands over what is complete and forgets it, so the records never grow the page's heap.
  probe.drain = () => {
    const out = {
      commands: done.splice(0),
      screens: screens.filter((s) => !Number.isNaN(s.paintedAt)),
      clicks: clicks.splice(0),
    };
    const unpainted = screens.filter((s) => Number.isNaN(s.paintedAt));
    screens.length = 0;
    screens.push(...unpainted);
    return out;
  };
  probe.setRecording = (on) => {
    probe.recording = on;
    if (!on) pending.clear();
  };
})();`;

/** Everything complete since the last drain (and forgets it in the page). */
export async function drainProbe(page: Page): Promise<ProbeRecords> {
  // Two frames first, so a reply or screen change just before gets its paint time.
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
  );
  return page.evaluate<ProbeRecords>('window.__uiBench.drain()');
}

export async function setProbeRecording(page: Page, on: boolean): Promise<void> {
  await page.evaluate(`window.__uiBench.setRecording(${on ? 'true' : 'false'})`);
}

/** The page's clock now (epoch ms). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate<number>('window.__uiBench.now()');
}
