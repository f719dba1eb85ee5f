/**
 * The numbers of a quality report that travel with a capture's report to the renderer and the
 * staff console (preload/contract.ts, CaptureReportSchema.quality): never pixels, never boxes.
 */
import type { FaceQualityMeasures, QualityReport } from './types.js';

/** The mesh measures that travel, as FaceQualityMeasures names them (types.ts). */
type SummarizedMeasure =
  | 'yaw'
  | 'pitch'
  | 'roll'
  | 'eyesOpen'
  | 'interEyeDistance'
  | 'headSize'
  | 'illuminationUniformity'
  | 'underExposure'
  | 'overExposure';

export type QualitySummary = {
  faceRatio: number | null;
  brightness: number | null;
  sharpness: number | null;
} & Pick<FaceQualityMeasures, SummarizedMeasure>;

/** The main face's measures, null where there was no face or the face mesh did not run. */
export function qualitySummary(report: QualityReport): QualitySummary {
  const face = report.mainFace;
  const m = report.measures;
  return {
    faceRatio: face?.sizeRatio ?? null,
    brightness: face?.brightness ?? null,
    sharpness: face?.sharpness ?? null,
    yaw: m?.yaw ?? null,
    pitch: m?.pitch ?? null,
    roll: m?.roll ?? null,
    eyesOpen: m?.eyesOpen ?? null,
    interEyeDistance: m?.interEyeDistance ?? null,
    headSize: m?.headSize ?? null,
    illuminationUniformity: m?.illuminationUniformity ?? null,
    underExposure: m?.underExposure ?? null,
    overExposure: m?.overExposure ?? null,
  };
}
