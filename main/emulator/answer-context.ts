/** What every vendor answer is computed from, and the steps all of them share. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiId } from '../../model/apis.js';
import type { FaceBox } from '../../model/result-model.js';
import type { ImageRule } from '../../model/profiles.js';
import { BIOMETRIC_KZ_ERRORS } from './biometric-kz-bodies.js';
import type { EmulatorCredentials } from './training-credentials.js';
import type { FaceFinder } from './detected-faces.js';
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

/** The answer to a body that was not a usable form, or that was refused before its end. */
export function formProblemReply(api: ApiId, form: Exclude<FormResult, { kind: 'form' }>): Reply {
  switch (form.kind) {
    case 'too-large':
      return vendorErrorReply(
        api,
        413,
        `${form.field}: file is larger than the ${form.limitBytes} bytes accepted`,
      );
    case 'malformed':
      return vendorErrorReply(
        api,
        400,
        `request is not a valid multipart/form-data body: ${form.reason}`,
      );
    case 'busy': {
      // A busy vendor's answer: the kiosk treats a 503 as "try again later".
      const reply = vendorErrorReply(api, 503, 'the emulator is busy with other uploads; retry');
      return { ...reply, headers: { 'Retry-After': '1' } };
    }
    case 'key-refused':
      // Only biometric.kz carries its key in the form; its documented answer to a wrong one.
      return vendorErrorReply(api, 400, BIOMETRIC_KZ_ERRORS.noAccess);
    case 'key-too-late':
      return vendorErrorReply(
        api,
        413,
        `${form.field}: more than ${form.limitBytes} bytes arrived before api_key; the emulator ` +
          'keeps no more of a form until its key is checked (send api_key first, or a smaller file)',
      );
  }
}

export function missingFileReply(api: ApiId, field: string): Reply {
  return vendorErrorReply(api, 400, `${field}: a file is required`);
}
