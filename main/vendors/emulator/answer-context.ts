/** What every vendor answer is computed from, and the steps all of them share. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiId } from '../apis.js';
import type { ImageRule } from '../profiles.js';
import type { EmulatorCredentials } from './credentials.js';
import type { FaceFinder } from './faces.js';
import { checkImage } from './image-check.js';
import type { ImageFindings } from './kairos-bodies.js';
import type { FormResult, UploadedFile } from './multipart.js';
import { vendorErrorReply, type Reply } from './reply.js';
import type { ForcedScores } from './scoring.js';

export interface AnswerContext {
  api: ApiId;
  requestId: string;
  requestedAt: Date;
  headers: IncomingHttpHeaders;
  form: FormResult;
  credentials: EmulatorCredentials;
  findFaces: FaceFinder;
  scores: ForcedScores;
}

export type ParsedForm = Extract<FormResult, { kind: 'form' }>;

export type ImageAnalysis =
  { ok: true; findings: ImageFindings; pixelHash: Buffer } | { ok: false; reply: Reply };

/** Format, documented size rules, decode, faces: what a vendor does before it scores. */
export async function analyseUpload(
  context: AnswerContext,
  file: UploadedFile,
  label: string,
  rule: ImageRule,
): Promise<ImageAnalysis> {
  const check = await checkImage(file.bytes, label, rule);
  if (!check.ok) {
    // 415 for a format no vendor takes, 400 for a picture it cannot use (Kairos: "4xx").
    const status = check.problem === 'unsupported-format' ? 415 : 400;
    return { ok: false, reply: vendorErrorReply(context.api, status, check.message) };
  }
  const { image } = check;
  const faces = await context.findFaces(image.pixels, image.pixelHash);
  return {
    ok: true,
    findings: { width: image.width, height: image.height, faces },
    pixelHash: image.pixelHash,
  };
}

/** The answer to a body that was not a usable form. */
export function formProblemReply(api: ApiId, form: Exclude<FormResult, { kind: 'form' }>): Reply {
  if (form.kind === 'too-large') {
    return vendorErrorReply(
      api,
      413,
      `${form.field}: file is larger than the ${form.limitBytes} bytes accepted`,
    );
  }
  return vendorErrorReply(
    api,
    400,
    `request is not a valid multipart/form-data body: ${form.reason}`,
  );
}

export function missingFileReply(api: ApiId, field: string): Reply {
  return vendorErrorReply(api, 400, `${field}: a file is required`);
}
