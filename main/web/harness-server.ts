/**
 * The browser harness: the kiosk's renderer in a plain Chromium, talking to the real main-process
 * services over a loopback WebSocket instead of Electron's IPC. For development, the Chromium
 * tests and machines without the Electron binary; never part of the packaged app.
 *
 * Who may use it: only this machine (it binds 127.0.0.1), only a page that holds the per-start
 * token (in the address printed at start, then an HttpOnly, SameSite=Strict cookie), only with
 * the harness's own Host and Origin. Another page open in the same browser cannot reach the
 * WebSocket (its Origin differs: no cross-site WebSocket hijacking), and a DNS-rebinding page
 * cannot either (its Host differs). Every command is validated by the contract (dispatch.ts),
 * exactly as in Electron.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { COMMANDS, type CommandName, type KioskEvent } from '../../preload/contract.js';
import { contentSecurityPolicy } from '../ipc/content-security-policy.js';
import { dispatchCommand } from '../ipc/dispatch.js';
import type { CommandHandlers } from '../ipc/kiosk-commands.js';
import {
  decodeBinaryCommand,
  type WireCommand,
  type WireReply,
} from '../../preload/harness-wire.js';

export const WEBSOCKET_PATH = '/kiosk-ws';
export const TOKEN_COOKIE = 'kiosk_harness';

/** 64 MB: a 4K RGBA capture is 33 MB; anything larger is not a camera frame. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface HarnessOptions {
  commands: CommandHandlers;
  /** Subscribes to every event the renderer may see; returns unsubscribe. */
  onEvent(listener: (event: KioskEvent) => void): () => void;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** A bug inside a command: logged by the caller; the renderer learns only its kind. */
  onInternalError?: (channel: CommandName, error: unknown) => void;
  /** A refused request or message, for the log: never its content. */
  onRefused?: (why: string) => void;
}

export interface Harness {
  /** The address to open, with the token: http://127.0.0.1:PORT/?token=... */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('base64url');
  const root = normalize(options.rendererDir + sep);
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  const refused = (why: string): void => options.onRefused?.(why);
  let origin = '';
  let hosts: string[] = [];

  const server = createServer((request, response) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const tokenMatches = (candidate: string | undefined): boolean => {
    if (candidate === undefined) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const cookieToken = (request: IncomingMessage): string | undefined => {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return value.join('=');
    }
    return undefined;
  };
  const hostAllowed = (request: IncomingMessage): boolean =>
    hosts.includes(request.headers.host ?? '');
  const originAllowed = (request: IncomingMessage, required: boolean): boolean => {
    const value = request.headers.origin;
    if (value === undefined) return !required;
    return value === origin || value === origin.replace('127.0.0.1', 'localhost');
  };

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (!hostAllowed(request) || !originAllowed(request, false)) {
      refused('http: foreign host or origin');
      return deny(response, 403, 'This kiosk page is only served to the kiosk itself.');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return deny(response, 405, 'Only GET is served here.');
    }
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (tokenMatches(queryToken)) {
      // Swap the token in the address for a cookie the page's scripts cannot read, so it does
      // not linger in the history or the address bar.
      url.searchParams.delete('token');
      response.writeHead(303, {
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    if (!tokenMatches(cookieToken(request))) {
      refused('http: missing or wrong token');
      return deny(
        response,
        403,
        'Open the kiosk with the address printed when it started (it holds a one-time token).',
      );
    }
    const file = normalize(
      join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)),
    );
    if (!file.startsWith(root)) return deny(response, 404, 'Not found.');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return deny(response, 404, 'Not found.');
    }
    response.writeHead(200, {
      ...securityHeaders(origin),
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (
      path !== WEBSOCKET_PATH ||
      !hostAllowed(request) ||
      !originAllowed(request, true) ||
      !tokenMatches(cookieToken(request))
    ) {
      refused('websocket: wrong path, host, origin or token');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary);
    });
  });

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let command: WireCommand;
    try {
      command = parseCommand(data, isBinary);
    } catch (error) {
      refused('websocket: malformed message');
      return reply(ws, {
        id: null,
        result: badInput(`The message is not a kiosk command: ${(error as Error).message}.`),
      });
    }
    const { id, channel } = command;
    if (!Object.hasOwn(COMMANDS, channel)) {
      return reply(ws, { id, result: badInput(`Unknown command "${String(channel)}".`) });
    }
    const result = await dispatchCommand(
      options.commands,
      channel as CommandName,
      command.input,
      (failed, error) => options.onInternalError?.(failed, error),
    );
    reply(ws, { id, result });
  }

  const stopEvents = options.onEvent((event) => {
    const text = JSON.stringify({ event } satisfies WireReply);
    for (const client of clients) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      stopEvents();
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * The Electron shell's Content-Security-Policy (the one builder both use), with the one
 * difference the harness needs and the shell must not have: connect-src is its own loopback
 * WebSocket (ws://127.0.0.1:PORT) instead of 'none'. Plus headers only a browser needs.
 */
export function securityHeaders(origin: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({
      // The harness's only difference from the shell's policy (see content-security-policy.ts).
      connectSrc: [origin.replace(/^http/, 'ws')],
    }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
    'Cache-Control': 'no-store',
  };
}

function parseCommand(data: RawData, isBinary: boolean): WireCommand {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  const command: unknown = isBinary
    ? decodeBinaryCommand(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    : JSON.parse(bytes.toString('utf8'));
  if (
    typeof command !== 'object' ||
    command === null ||
    typeof (command as WireCommand).id !== 'number' ||
    typeof (command as WireCommand).channel !== 'string'
  ) {
    throw new Error('it needs a numeric id and a channel');
  }
  return command as WireCommand;
}

function badInput(message: string) {
  return { ok: false, error: { code: 'bad-input', message, retryable: false } };
}

function reply(ws: WebSocket, message: WireReply): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function deny(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${message}\n`);
}
