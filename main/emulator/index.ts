/** The vendor emulator's public surface. See README.md in this folder. */
export {
  DEFAULT_EMULATOR_TIMEOUTS,
  startEmulator,
  type EmulatorOptions,
  type EmulatorTimeouts,
  type VendorEmulator,
} from './server.js';
export { CONTROL_TOKEN_HEADER } from './control-access.js';
export { TRAINING_CREDENTIALS, type EmulatorCredentials } from './training-credentials.js';
export { FaultSettingsSchema, type FaultSettings } from './faults.js';
export { ForcedScoresSchema, type ForcedScores } from './scoring.js';
export type { DecodedPixels, FaceDetector } from './detected-faces.js';
export type { EmulatorRequestRecord, LoggedFile, RequestOutcome } from './request-log.js';
export { BIOMETRIC_KZ_PASS_PREDICTION } from './biometric-kz-bodies.js';
export { FACE_MATCH_BAND, SELFIE_LIVENESS_BAND } from './kairos-decision.js';
