/**
 * A plain node:http server for wire-format and fault tests: records exactly what arrived
 * (method, path, headers, multipart parts) and answers however the test says.
 */
import busboy from 'busboy';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedPart {
  name: string;
  value?: string;
  fileName?: string;
  contentType?: string;
  bytes?: Buffer;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawHeaderNames: string[];
  parts: ReceivedPart[];
}

export type Responder = (
  request: ReceivedRequest,
  res: ServerResponse,
  req: IncomingMessage,
) => void;

export interface CaptureServer {
  url: string;
  received: ReceivedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

function readParts(req: IncomingMessage): Promise<ReceivedPart[]> {
  return new Promise((resolve, reject) => {
    const parts: ReceivedPart[] = [];
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => parts.push({ name, value }));
    parser.on('file', (name, stream, info) => {
      // Keep the order the parts arrived in: reserve the place now, fill the bytes at the end.
      const part: ReceivedPart = { name, fileName: info.filename, contentType: info.mimeType };
      parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        part.bytes = Buffer.concat(chunks);
      });
    });
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    req.pipe(parser);
  });
}

export async function startCaptureServer(respond: Responder): Promise<CaptureServer> {
  const sockets = new Set<Socket>();
  const state: CaptureServer = {
    url: '',
    received: [],
    respond,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    void readParts(req)
      .catch(() => [])
      .then((parts) => {
        const names: string[] = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) names.push(req.rawHeaders[i] ?? '');
        const request: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          rawHeaderNames: names,
          parts,
        };
        state.received.push(request);
        state.respond(request, res, req);
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
