/**
 * The rules on their own: verdicts from measurements, steadiness over frames, and the size
 * each vendor gets. No worker, no images: fast, and every threshold's edge is visible.
 */
import { describe, expect, it } from 'vitest';
import type { FaceStats } from '../../main/capture/face-stats.js';
import { chooseOutputSize, ruleFor } from '../../main/capture/output-size.js';
import { judgeDetection, type Detection } from '../../main/capture/quality-gates.js';
import { SteadinessTracker } from '../../main/capture/steadiness.js';
import type { LandmarkMeasures } from '../../main/capture/face-measures.js';
import { GATES, SELFIE_GATES } from '../../main/capture/thresholds.js';
import type { DetectedFace } from '../../main/capture/tiny-face-detector.js';
import { VENDOR_PROFILES } from '../../model/profiles.js';
import { DEFAULT_QUALITY_SETTINGS } from '../../model/quality-settings.js';

const WELL_LIT: FaceStats = { brightness: 130, contrast: 40, clippedFraction: 0, sharpness: 200 };
const FRAME = { width: 320, height: 240 };

/** A face `width` px wide centred at (cx, cy) in a 320x240 analysis image. */
function face(width: number, cx = 160, cy = 110, score = 0.9): DetectedFace {
  return { x: cx - width / 2, y: cy - width / 2, width, height: width, score };
}

function detection(faces: DetectedFace[], stats: Partial<FaceStats> = {}): Detection {
  return {
    faces,
    stats: faces.length === 0 ? null : { ...WELL_LIT, ...stats },
    landmarks: null,
    analysisWidth: 320,
    analysisHeight: 240,
    detectMs: 40,
  };
}

describe('quality gates', () => {
  it('passes one well-lit, sharp, centred face at arm’s length', () => {
    expect(judgeDetection(detection([face(84)]), 'selfie', FRAME).verdict).toBe('ok');
  });

  it('ignores a small face in the background but not a second person at the kiosk', () => {
    const passerBy = face(40, 280, 60);
    const alone = judgeDetection(detection([face(84), passerBy]), 'selfie', FRAME);
    expect(alone.verdict).toBe('ok');
    expect(alone.faces).toHaveLength(2);
    expect(alone.countedFaces).toBe(1);
    const together = judgeDetection(detection([face(84), face(70, 280, 110)]), 'selfie', FRAME);
    expect(together.verdict).toBe('multiple-faces');
  });

  it('asks for position first, then lighting, then focus', () => {
    const everything = detection([face(84, 40)], { brightness: 30, sharpness: 5 });
    expect(judgeDetection(everything, 'selfie', FRAME).verdict).toBe('off-center');
    const darkAndSoft = detection([face(84)], { brightness: 30, sharpness: 5 });
    expect(judgeDetection(darkAndSoft, 'selfie', FRAME).verdict).toBe('too-dark');
  });

  it('tells too-far from too-close by the face width against the short side', () => {
    // 320x240: the selfie passes 0.16-0.55 of 240 px, 38-132 px.
    expect(judgeDetection(detection([face(36)]), 'selfie', FRAME).verdict).toBe('too-far');
    expect(judgeDetection(detection([face(40)]), 'selfie', FRAME).verdict).toBe('ok');
    expect(judgeDetection(detection([face(130)]), 'selfie', FRAME).verdict).toBe('ok');
    expect(judgeDetection(detection([face(136)]), 'selfie', FRAME).verdict).toBe('too-close');
  });

  it('judges by the gates it is given (the kiosk settings), not only the defaults', () => {
    const near = { ...SELFIE_GATES, minSizeRatio: 0.3 };
    expect(judgeDetection(detection([face(60)]), 'selfie', FRAME).verdict).toBe('ok');
    expect(judgeDetection(detection([face(60)]), 'selfie', FRAME, near).verdict).toBe('too-far');
  });

  it('calls a face cut by the frame edge off-center', () => {
    const cut = face(84, 160, 30); // top of the box above the frame
    expect(judgeDetection(detection([cut]), 'selfie', FRAME).verdict).toBe('off-center');
  });

  it('reads a flat face by its brightness: dim is too-dark, bright is too-bright', () => {
    expect(
      judgeDetection(detection([face(84)], { contrast: 5, brightness: 90 }), 'selfie', FRAME)
        .verdict,
    ).toBe('too-dark');
    expect(
      judgeDetection(detection([face(84)], { contrast: 5, brightness: 180 }), 'selfie', FRAME)
        .verdict,
    ).toBe('too-bright');
    expect(
      judgeDetection(detection([face(84)], { clippedFraction: 0.2 }), 'selfie', FRAME).verdict,
    ).toBe('too-bright');
  });

  it('accepts a small portrait at the left of an ID card that a selfie would refuse', () => {
    const portrait = detection([face(30, 70, 120)]);
    expect(judgeDetection(portrait, 'selfie', FRAME).verdict).toBe('too-far');
    expect(judgeDetection(portrait, 'id-photo', FRAME).verdict).toBe('ok');
  });

  it('is stricter about glare on an ID card than on a face', () => {
    const glare = detection([face(84)], { clippedFraction: 0.05 });
    expect(judgeDetection(glare, 'selfie', FRAME).verdict).toBe('ok');
    const id = judgeDetection(glare, 'id-photo', FRAME);
    expect(id.verdict).toBe('too-bright');
    expect(id.message).toMatch(/Glare/);
  });

  it('reports boxes in the coordinates of the image it describes', () => {
    const report = judgeDetection(detection([face(84)]), 'selfie', { width: 1920, height: 1440 });
    expect(report.faces[0]).toMatchObject({ x: 708, width: 504, confidence: 0.9 });
    expect(report.mainFace!.sizeRatio).toBeCloseTo(84 / 240, 5);
  });
});

describe('steadiness', () => {
  const ok = (cx: number, width = 84) =>
    judgeDetection(detection([face(width, cx)]), 'selfie', FRAME);

  it('holds "ok" back until the face has been still for three frames', () => {
    const tracker = new SteadinessTracker();
    const verdicts = [0, 100, 200, 300].map((at) => tracker.observe(ok(160), at).verdict);
    expect(verdicts).toEqual(['hold-still', 'hold-still', 'ok', 'ok']);
  });

  it('starts counting again when the face moves or steps closer', () => {
    const tracker = new SteadinessTracker();
    tracker.observe(ok(160), 0);
    tracker.observe(ok(160), 100);
    const moved = tracker.observe(ok(180), 200);
    expect(moved.verdict).toBe('hold-still');
    expect(moved.movement).toBeCloseTo(20 / 84, 5);
    expect(moved.steadyFrames).toBe(1);
    tracker.observe(ok(180), 300);
    expect(tracker.observe(ok(180, 100), 400).steadyFrames).toBe(1);
  });

  it('does not count frames more than a second apart as consecutive', () => {
    const tracker = new SteadinessTracker();
    tracker.observe(ok(160), 0);
    tracker.observe(ok(160), 100);
    expect(tracker.observe(ok(160), 1500).steadyFrames).toBe(1);
  });

  it('forgets the face when it leaves the frame', () => {
    const tracker = new SteadinessTracker();
    tracker.observe(ok(160), 0);
    tracker.observe(ok(160), 100);
    expect(tracker.observe(judgeDetection(detection([]), 'selfie', FRAME), 200).steadyFrames).toBe(
      0,
    );
    expect(tracker.observe(ok(160), 300).steadyFrames).toBe(1);
  });
});

describe('output size', () => {
  const size = (
    api: keyof typeof VENDOR_PROFILES,
    width: number,
    height: number,
    faceWidth: number | null = null,
  ) => {
    const profile = VENDOR_PROFILES[api];
    const {
      width: w,
      height: h,
      notes,
    } = chooseOutputSize(
      { kind: 'file', width, height },
      ruleFor(profile, 'selfie'),
      profile,
      faceWidth,
    );
    return { size: [w, h], notes };
  };

  it('downscales a 1080p frame to the target long side and never upscales a small one', () => {
    expect(size('kairos-liveness-v0.1', 1920, 1080).size).toEqual([1280, 720]);
    expect(size('kairos-liveness-v0.1', 1000, 750).size).toEqual([1000, 750]);
  });

  it('lifts the short side to Kairos v0.2’s recommended 900 px where the target leaves less', () => {
    // With the 1280 target advised for every profile: 16:9 needs the lift, 4:3 does not.
    const v02 = { ...VENDOR_PROFILES['kairos-liveness-v0.2'], targetLongSide: 1280 };
    const fit = (width: number, height: number) => {
      const out = chooseOutputSize({ kind: 'frame', width, height }, v02.selfie, v02, null);
      return [out.width, out.height];
    };
    expect(fit(1920, 1080)).toEqual([1600, 900]);
    expect(fit(2000, 1500)).toEqual([1280, 960]);
    expect(fit(1500, 2000)).toEqual([960, 1280]);
    expect(size('kairos-liveness-v0.2', 1920, 1080).size).toEqual([1600, 900]);
    const short = size('kairos-liveness-v0.2', 1280, 720);
    expect(short.size).toEqual([1280, 720]);
    expect(short.notes[0]).toMatch(/under Kairos liveness v0.2's recommended 900 px/);
  });

  it('keeps Kairos biometric’s 480 px minimum on a wide frame', () => {
    expect(size('kairos-biometric-v0.1', 3000, 600).size).toEqual([2400, 480]);
  });

  it('keeps the face at least 160 px wide when the source has the pixels', () => {
    // A 4000x3000 scan with a 300 px face: 1280 px would leave it 96 px wide.
    expect(size('kairos-liveness-v0.1', 4000, 3000, 300).size).toEqual([2133, 1600]);
    expect(size('kairos-liveness-v0.1', 4000, 3000, 100).size).toEqual([4000, 3000]);
  });

  it('refuses a strip too long to fit both the minimum and the maximum', () => {
    const profile = VENDOR_PROFILES['kairos-biometric-v0.1'];
    expect(() =>
      chooseOutputSize({ kind: 'file', width: 12000, height: 500 }, profile.selfie, profile, null),
    ).toThrow(expect.objectContaining({ code: 'bad-aspect-ratio' }));
  });
});

describe('face mesh gates (the selfie from the camera)', () => {
  const STRAIGHT: LandmarkMeasures = {
    yaw: 3,
    pitch: -2,
    roll: 1,
    eyesOpen: 0.33,
    interEyeDistance: 30,
    head: { x: 118, y: 60, width: 84, height: 100 },
    illuminationUniformity: 0.9,
    underExposure: 0,
    overExposure: 0,
    meshScore: 0.99,
  };
  const Q = DEFAULT_QUALITY_SETTINGS;

  function meshed(landmarks: Partial<LandmarkMeasures>, stats: Partial<FaceStats> = {}): Detection {
    return { ...detection([face(84)], stats), landmarks: { ...STRAIGHT, ...landmarks } };
  }

  const verdict = (d: Detection, role: 'selfie' | 'id-photo' = 'selfie') =>
    judgeDetection(d, role, FRAME, GATES[role], Q).verdict;

  it('asks to look straight, keep the head level, open the eyes, turn to the light', () => {
    expect(verdict(meshed({}))).toBe('ok');
    expect(verdict(meshed({ yaw: Q.maxYawDegrees + 1 }))).toBe('look-straight');
    expect(verdict(meshed({ yaw: -Q.maxYawDegrees - 1 }))).toBe('look-straight');
    expect(verdict(meshed({ pitch: -Q.maxPitchDegrees - 1 }))).toBe('look-straight');
    expect(verdict(meshed({ roll: Q.maxRollDegrees + 1 }))).toBe('head-level');
    expect(verdict(meshed({ eyesOpen: Q.minEyesOpen - 0.01 }))).toBe('eyes-closed');
    expect(verdict(meshed({ illuminationUniformity: 0.3 }))).toBe('uneven-light');
    expect(verdict(meshed({ underExposure: 0.5 }))).toBe('too-dark');
    expect(verdict(meshed({ overExposure: 0.5 }))).toBe('too-bright');
  });

  it('asks for the pose before the light, the light before focus, focus before the eyes', () => {
    const everything = { yaw: 60, roll: 40, illuminationUniformity: 0.2, eyesOpen: 0.02 };
    expect(verdict(meshed(everything, { sharpness: 5 }))).toBe('look-straight');
    expect(verdict(meshed({ ...everything, yaw: 0 }, { sharpness: 5 }))).toBe('head-level');
    expect(verdict(meshed({ ...everything, yaw: 0, roll: 0 }, { sharpness: 5 }))).toBe(
      'uneven-light',
    );
    const evenLight = { ...everything, yaw: 0, roll: 0, illuminationUniformity: 0.9 };
    expect(verdict(meshed(evenLight, { sharpness: 5 }))).toBe('blurry');
    expect(verdict(meshed(evenLight))).toBe('eyes-closed');
    // Position and the cheap light gates still come first.
    expect(verdict(meshed(everything, { brightness: 20 }))).toBe('too-dark');
  });

  it('judges the eyes only when they are far enough apart to measure', () => {
    const closed = { eyesOpen: 0.02 };
    expect(verdict(meshed({ ...closed, interEyeDistance: Q.minInterEyeDistanceForEyes }))).toBe(
      'eyes-closed',
    );
    expect(verdict(meshed({ ...closed, interEyeDistance: Q.minInterEyeDistanceForEyes - 1 }))).toBe(
      'ok',
    );
  });

  it('measures the ID photo, a file and an unsure mesh without refusing on them', () => {
    const turned = meshed({ yaw: 70, eyesOpen: 0.01 });
    expect(verdict(turned, 'id-photo')).toBe('ok');
    const file = judgeDetection(turned, 'selfie', FRAME, SELFIE_GATES, null);
    expect(file.verdict).toBe('ok');
    expect(file.measures!.yaw).toBe(70);
    expect(verdict(meshed({ yaw: 70, meshScore: Q.minMeshScore - 0.1 }))).toBe('ok');
  });

  it('reports pixel measures in the image described, and shares of its size', () => {
    const report = judgeDetection(
      meshed({}),
      'selfie',
      { width: 1280, height: 960 },
      SELFIE_GATES,
      Q,
    );
    expect(report.measures!.interEyeDistance).toBe(120);
    expect(report.measures!.headSize).toBeCloseTo(100 / 240, 3);
    expect(report.measures!.marginLeft).toBeCloseTo(118 / 320, 3);
    expect(report.measures!.marginRight).toBeCloseTo((320 - 202) / 320, 3);
    expect(report.measures!.singleFace).toBe(true);
    expect(judgeDetection(detection([face(84)]), 'selfie', FRAME).measures!.yaw).toBeNull();
    expect(judgeDetection(detection([]), 'selfie', FRAME).measures).toBeNull();
  });
});
