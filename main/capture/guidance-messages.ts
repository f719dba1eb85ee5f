/** What each verdict asks of the person in front of the kiosk, in plain words. */
import type { CaptureRole, Guidance } from './types.js';

const SELFIE: Record<Guidance, string> = {
  ok: 'Good. Hold still.',
  'no-face': 'No face found. Look straight at the camera.',
  'multiple-faces':
    'More than one face is in view. Only the customer should be in front of the camera.',
  'too-far': 'Move closer to the camera.',
  'too-close': 'Move back a little from the camera.',
  'off-center': 'Move so that your whole face is in the middle of the screen.',
  'look-straight': 'Look straight at the camera, with your head level.',
  'head-level': 'Keep your head level, without tilting it to the side.',
  'too-dark': 'Your face is too dark. Face the light, or ask staff to turn on the kiosk lamp.',
  'too-bright': 'Your face is washed out by bright light. Step out of direct light.',
  'uneven-light': 'One side of your face is in shadow. Turn towards the light.',
  blurry: 'The picture is blurred. Hold still and look at the camera.',
  'eyes-closed': 'Open your eyes and look at the camera.',
  'hold-still': 'Hold still for a moment.',
};

const ID_PHOTO: Record<Guidance, string> = {
  ok: 'Good. Hold the document still.',
  'no-face': 'No portrait found on the document. Hold the photo page flat towards the camera.',
  'multiple-faces':
    'More than one face is in view. Show only the document, with nobody else in the picture.',
  'too-far': 'The portrait on the document is too small. Hold the document closer.',
  'too-close': 'Hold the document a little farther away so the whole portrait is in view.',
  'off-center': 'Part of the portrait is cut off. Hold the whole photo page in view.',
  'look-straight': 'The portrait is turned away from the camera. Hold the photo page flat.',
  'head-level': 'The portrait is tilted. Hold the document straight.',
  'too-dark': 'The document is too dark. Hold it towards the light.',
  'too-bright': 'Glare covers the portrait. Tilt the document away from the light.',
  'uneven-light': 'Part of the portrait is in shadow. Hold the document in even light.',
  blurry: 'The portrait is blurred. Hold the document still and flat.',
  'eyes-closed': 'The eyes on the portrait cannot be seen. Use a document with a clear portrait.',
  'hold-still': 'Hold the document still for a moment.',
};

export function guidanceMessage(role: CaptureRole, verdict: Guidance): string {
  return (role === 'selfie' ? SELFIE : ID_PHOTO)[verdict];
}
