/** biometric.kz Liveness Short: POST /api/v1/backend/liveness/short/ with `image` and `api_key`. */
import { extname } from 'node:path';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import {
  analyseUpload,
  formProblemReply,
  missingFileReply,
  type AnswerContext,
} from './answer-context.js';
import { BIOMETRIC_KZ_ERRORS, biometricKzBody } from './biometric-kz-bodies.js';
import { isBiometricKzAuthorized } from './training-credentials.js';
import { jsonReply, vendorErrorReply, type Reply } from './reply.js';
import { deterministicLiveness } from './scoring.js';

/**
 * Checks run in the order a form-validating backend would: the form, the file name's
 * extension (415, the page's own message), the organisation's key (400, as its error table
 * says), then the picture itself.
 */
export async function answerBiometricKzLiveness(context: AnswerContext): Promise<Reply> {
  const { form, api } = context;
  if (form.kind !== 'form') return formProblemReply(api, form);
  const imageFile = form.files.get('image');
  if (imageFile === undefined) return missingFileReply(api, 'image');

  const rule = VENDOR_PROFILES[api].selfie;
  const extension = extname(imageFile.fileName).toLowerCase();
  if (rule.extensions !== null && !rule.extensions.includes(extension)) {
    return vendorErrorReply(api, 415, BIOMETRIC_KZ_ERRORS.badExtension);
  }
  if (!isBiometricKzAuthorized(form.fields.get('api_key'), context.credentials.biometricKz)) {
    return vendorErrorReply(api, 400, BIOMETRIC_KZ_ERRORS.noAccess);
  }

  const image = await analyseUpload(context, imageFile, 'image', rule);
  if (!image.ok) return image.reply;

  const prediction =
    context.scores.liveness ??
    (image.findings.faces.length > 0 ? deterministicLiveness(image.pixelHash) : 0);
  return jsonReply(200, biometricKzBody(context.requestId, prediction, new Date()));
}
