/**
 * What the capture pipeline tells the person in front of the camera, as ids: the main process
 * judges, the renderer words it in the customer's language (renderer/src/i18n/).
 */

/** What the picture is for: the customer's selfie, or the ID document's photo page. */
export const CAPTURE_ROLES = ['selfie', 'id-photo'] as const;
export type CaptureRole = (typeof CAPTURE_ROLES)[number];

/** The one piece of guidance shown to the customer, in the order they should fix things. */
export const GUIDANCE_VERDICTS = [
  'ok',
  'no-face',
  'multiple-faces',
  'too-far',
  'too-close',
  'off-center',
  'too-dark',
  'too-bright',
  // From the face mesh, run only on a face that passed every gate above (selfie only): the
  // head turned or tipped, tilted sideways, one side of the face in shadow.
  'look-straight',
  'head-level',
  'uneven-light',
  'blurry',
  // After focus: eyelids on a blurred face measure badly.
  'eyes-closed',
  'hold-still',
] as const;

export type Guidance = (typeof GUIDANCE_VERDICTS)[number];
export type GuidanceProblem = Exclude<Guidance, 'ok'>;

/** The catalogue key of a verdict for a role, e.g. `guidance.selfie.too-far`. */
export type GuidanceKey = `guidance.${CaptureRole}.${Guidance}`;

export function guidanceKey(role: CaptureRole, verdict: Guidance): GuidanceKey {
  return `guidance.${role}.${verdict}`;
}
