/** The documented sample answers, as the vendor pages print them (biometric.kz's made valid JSON). */

export const KAIROS_LIVENESS_SAMPLE = {
  api_req_uid: 'c6bb825f-871c-4323-8c06-8e5fd3517747',
  processed_at: '2024-04-01 20:05:17',
  requested_at: '2024-04-01 20:05:17',
  response_code: 2,
  response_data: {
    faces_liveness: 0.0,
    faces_predicted: [
      {
        confidence: 0.9885,
        delta: { x: 18.9982, y: 25.3957 },
        top_left: { x: 38.0577, y: 4.0824 },
      },
    ],
    img: { height: 71, width: 95 },
  },
};

export const KAIROS_BIOMETRIC_SAMPLE = {
  api_req_uid: '601d8377-03be-481e-a314-d61675154d3e',
  processed_at: '2024-04-22 06:36:50',
  requested_at: '2024-04-22 06:36:50',
  response_code: 1,
  response_data: {
    biometric: {
      face_match_confidence: 0.4803,
      image: {
        faces_predicted: [
          {
            confidence: 0.9999,
            delta: { x: 63.2991, y: 86.6425 },
            top_left: { x: 40.3778, y: 42.5628 },
          },
        ],
        img: { height: 200, width: 150 },
      },
      selfie: {
        faces_liveness: 0.0026,
        faces_predicted: [
          {
            confidence: 1,
            delta: { x: 235.0864, y: 290.2446 },
            top_left: { x: 153.1597, y: 169.8101 },
          },
        ],
        img: { height: 666, width: 500 },
      },
    },
    decision: {
      details: [
        {
          code: 'FAILED_FACE_MATCH',
          confidence: 1,
          decision: 'review',
          description: 'Faces do not match; threshold failed: 0.4 < 0.4803 (actual) < 0.56',
        },
        {
          code: 'FAILED_SELFIE_LIVENESS',
          confidence: 1,
          decision: 'reject',
          description: 'Selfie liveness threshold failed: 0.4 < 0.0026 (actual) < 0.6',
        },
      ],
      reject_score: 1,
      review_score: 1,
      warning_score: 0,
    },
  },
};

export const BIOMETRIC_KZ_PASSED_SAMPLE = {
  backend_session_id: 'f1b5887b-5f91-417a-bf04-bb45fe28cc4e',
  result: true,
  prediction: '0.982312',
  created_at: '2023-05-23T13:56:32.010Z',
  failure_reason: null,
};

export const BIOMETRIC_KZ_FAILED_SAMPLE = {
  backend_session_id: 'f1b5887b-5f91-417a-bf04-bb45fe28cc4e',
  result: false,
  prediction: '0.235123',
  created_at: '2023-05-23T13:56:32.010Z',
  failure_reason: { type: 'CALC_RESULT', detail: 'Low overall prediciton' },
};
