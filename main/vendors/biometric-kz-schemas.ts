/**
 * biometric.kz Liveness Short response body. The page's samples are not valid JSON (`None`,
 * missing commas); the real service answers JSON with `null` (see docs/vendors.md).
 */
import { z } from 'zod';

/** `prediction` is a decimal written as a string, e.g. "0.982312". */
const DecimalString = z
  .string()
  .regex(/^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$/, 'a decimal between 0 and 1')
  .transform((text) => Number.parseFloat(text));

export const BiometricKzBodySchema = z.object({
  backend_session_id: z.string().min(1),
  result: z.boolean(),
  prediction: z.union([DecimalString, z.number().min(0).max(1)]),
  created_at: z.string().optional(),
  failure_reason: z
    .object({ type: z.string(), detail: z.string().default('') })
    .nullable()
    .optional(),
});
export type BiometricKzBody = z.infer<typeof BiometricKzBodySchema>;

/**
 * Its error table answers 400 for causes that are not about the image. Each message is read as
 * what it really is: account problems pause sending (`auth`); an internal hop failing is the
 * vendor's trouble and retries (`server`). Anything else stays `rejected-input`.
 */
export function classifyBiometricKz400(reason: string | undefined): 'auth' | 'server' | undefined {
  if (reason === undefined) return undefined;
  const text = reason.toLowerCase();
  if (text.includes('could not send image to liveness service')) return 'server';
  if (
    text.includes('does not have access') ||
    text.includes('does not have subscription') ||
    text.includes('subscription has not started') ||
    text.includes('no active or future subscription')
  ) {
    return 'auth';
  }
  return undefined;
}
