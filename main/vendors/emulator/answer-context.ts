/** What every vendor answer is computed from, and the steps all of them share. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiId } from '../apis.js';
import type { FaceBox } from '../result-model.js';
import type { ImageRule } from '../profiles.js';
import type { EmulatorCredentials } from './credentials.js';
import type { FaceFinder } from './faces.js';
import { checkImage, type CheckedImage } from './image-check.js';
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
  const found = await context.findFaces(image.pixels, image.pixelHash);
  const faces = found.map((face) => scaleFace(face, image));
  return {
    ok: true,
    findings: { width: image.width, height: image.height, faces },
    pixelHash: image.pixelHash,
  };
}

/** A box found in the decoded pixels, in the upload's own pixels (per axis, within the image). */
function scaleFace(face: FaceBox, image: CheckedImage): FaceBox {
  const sx = image.width / image.pixels.width;
  const sy = image.height / image.pixels.height;
  const x = Math.min(image.width, Math.round(face.x * sx));
  const y = Math.min(image.height, Math.round(face.y * sy));
  return {
    ...face,
    x,
    y,
    width: Math.min(image.width - x, Math.round(face.width * sx)),
    height: Math.min(image.height - y, Math.round(face.height * sy)),
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
