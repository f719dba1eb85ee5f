/**
 * window.kiosk in the browser harness: the same KioskApi as Electron's preload, over the
 * harness's loopback WebSocket (the page's cookie carries the token; the server checks it and
 * the Origin). Camera pixels go as binary frames (preload/harness-wire.ts). A lost connection
 * fails the commands waiting on it with 'unavailable' and is retried, so the kiosk goes on
 * when the harness comes back.
 */
import { createKioskApi } from '../../../preload/api-client.js';
import { KioskApiError, type CommandError } from '../../../preload/border.js';
import type { KioskApi, KioskEvent } from '../../../preload/contract.js';
import { encodeCommand } from '../../../preload/harness-wire.js';

const WEBSOCKET_PATH = '/kiosk-ws';
/** A command without an answer this long has been lost (a capture takes well under 5 s). */
const COMMAND_TIMEOUT_MS = 60_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function connectHarness(): KioskApi {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: KioskEvent) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const unavailable = (message: string): KioskApiError =>
    new KioskApiError({ code: 'unavailable', message, retryable: true });

  const open = (): Promise<WebSocket> => {
    if (opened !== null) return opened;
    opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}${WEBSOCKET_PATH}`);
      ws.binaryType = 'arraybuffer';
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (message: MessageEvent<unknown>) => {
        if (typeof message.data !== 'string') return;
        const reply = JSON.parse(message.data) as
          | { id: number | null; result: { ok: boolean; value?: unknown; error?: CommandError } }
          | { event: KioskEvent };
        if ('event' in reply) {
          for (const listener of listeners) listener(reply.event);
          return;
        }
        const waiting = reply.id === null ? undefined : pending.get(reply.id);
        if (waiting === undefined) return;
        pending.delete(reply.id as number);
        clearTimeout(waiting.timer);
        if (reply.result.ok) waiting.resolve(reply.result.value);
        else waiting.reject(new KioskApiError(reply.result.error as CommandError));
      });
      ws.addEventListener('close', () => {
        socket = null;
        opened = null;
        for (const [id, waiting] of pending) {
          clearTimeout(waiting.timer);
          waiting.reject(unavailable('The kiosk service stopped answering.'));
          pending.delete(id);
        }
        reject(unavailable('The kiosk service cannot be reached.'));
        // Events must keep coming (the queue's progress, a session's state): reconnect.
        if (listeners.size > 0) setTimeout(() => void open().catch(() => undefined), 1000);
      });
    });
    // A failed open is reported to the command that asked; the next command tries again.
    opened.catch(() => undefined);
    return opened;
  };

  const api = createKioskApi(
    async (channel, input) => {
      const ws = socket ?? (await open());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(unavailable(`The kiosk service did not answer ${channel} in time.`));
        }, COMMAND_TIMEOUT_MS);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
        ws.send(encodeCommand({ id, channel, input }));
      });
    },
    (listener) => {
      listeners.add(listener);
      void open().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  );
  return api;
}
