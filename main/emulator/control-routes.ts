/**
 * The emulator's own HTTP controls under /__emulator/ (no vendor has these paths), so a kiosk
 * or browser harness in another process can switch faults and scores like tests do in code.
 * Bodies are JSON and validated with the same schemas as the code API. Who may call them:
 * control-access.ts (the per-start token, JSON, no foreign Origin).
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { API_IDS, type ApiId } from '../../model/apis.js';
import { refuseControl, type ControlAccess } from './control-access.js';
import { FaultSettingsSchema, type FaultSettings } from './faults.js';
import { jsonReply, type Reply } from './reply.js';
import type { EmulatorRequestRecord } from './request-log.js';
import { ForcedScoresSchema, type ForcedScores } from './scoring.js';

export const CONTROL_PREFIX = '/__emulator/';

export interface EmulatorControls {
  setFaults(api: ApiId, faults: FaultSettings): void;
  setScores(api: ApiId, scores: ForcedScores): void;
  reset(): void;
  requests(): EmulatorRequestRecord[];
}

const FaultsCommandSchema = z.strictObject({ api: z.enum(API_IDS), faults: FaultSettingsSchema });
const ScoresCommandSchema = z.strictObject({ api: z.enum(API_IDS), scores: ForcedScoresSchema });

/** Commands are a few hundred bytes; anything far larger is a mistake, not a command. */
const MAX_COMMAND_BYTES = 64 * 1024;

/** Answers one /__emulator/ request, refused unless `access` allows it. */
export async function answerControlRequest(
  req: IncomingMessage,
  path: string,
  controls: EmulatorControls,
  access: ControlAccess,
): Promise<Reply> {
  const refused = refuseControl(req.method ?? '', req.headers, access);
  if (refused !== null) return refused;
  const route = `${req.method ?? ''} ${path}`;
  switch (route) {
    case 'GET /__emulator/requests':
      return jsonReply(200, { requests: controls.requests() });
    case 'POST /__emulator/reset':
      controls.reset();
      return jsonReply(200, { reset: true });
    case 'POST /__emulator/faults':
      return runCommand(req, FaultsCommandSchema, ({ api, faults }) => {
        controls.setFaults(api, faults);
        return { api, faults };
      });
    case 'POST /__emulator/scores':
      return runCommand(req, ScoresCommandSchema, ({ api, scores }) => {
        controls.setScores(api, scores);
        return { api, scores };
      });
  }
  const knownPaths = ['requests', 'reset', 'faults', 'scores'].map((name) => CONTROL_PREFIX + name);
  return knownPaths.includes(path)
    ? jsonReply(405, { message: `${req.method ?? ''} is not allowed on ${path}` })
    : jsonReply(404, { message: `no emulator control at ${path}` });
}

async function runCommand<Command>(
  req: IncomingMessage,
  schema: z.ZodType<Command>,
  apply: (command: Command) => unknown,
): Promise<Reply> {
  const body = await readJsonBody(req);
  if (!body.ok) return jsonReply(body.status, { message: body.message });
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    return jsonReply(400, {
      message: 'invalid emulator command',
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    });
  }
  return jsonReply(200, apply(parsed.data));
}

type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_COMMAND_BYTES) {
      return { ok: false, status: 413, message: `command larger than ${MAX_COMMAND_BYTES} bytes` };
    }
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'body is not valid JSON' };
  }
}
