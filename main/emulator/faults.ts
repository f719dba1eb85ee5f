/**
 * Fault controls: how an emulated vendor misbehaves, per API. The kiosk must survive every one
 * of these (see ../errors.ts for how the client classifies them), so tests and training mode
 * switch them on from code or over HTTP (POST /__emulator/faults).
 */
import { z } from 'zod';
import type { ApiId } from '../../model/apis.js';

/** Long enough for any timeout test, short enough that a typo cannot wedge a run for hours. */
const MAX_DELAY_MS = 10 * 60_000;

const delayMs = z.number().int().min(0).max(MAX_DELAY_MS);

export const FaultSettingsSchema = z.strictObject({
  /** Vendor processing time: wait this long after the upload before answering. */
  latencyMs: delayMs.optional(),
  /** Answer every request with this 5xx status (JSON body), like a vendor outage. */
  serverErrorStatus: z.number().int().min(500).max(599).optional(),
  /** Serve this many requests normally, then answer 403 "usage limit reached" (quota). */
  usageLimitAfter: z.number().int().min(0).optional(),
  /** Reset the TCP connection once this many request-body bytes have arrived (mid-upload). */
  resetAfterBytes: z.number().int().min(0).optional(),
  /** Read the whole upload, then never answer; the socket stays open until someone gives up. */
  neverAnswer: z.boolean().optional(),
  /** Once the answer is ready, wait this long before writing the status line and headers. */
  slowHeadersMs: delayMs.optional(),
  /** 200 with Content-Type application/json and a body that is not JSON. */
  malformedJson: z.boolean().optional(),
  /** 200 with valid JSON of a shape no vendor document describes. */
  wrongShapeJson: z.boolean().optional(),
  /** 502 text/html error page, as a proxy in front of the vendor sends. */
  proxyHtmlError: z.boolean().optional(),
  /** Link speed for both the upload (read side) and the answer (write side). */
  bandwidthBytesPerSecond: z.number().int().min(1).optional(),
  /** Apply these faults to the next N requests only, then answer normally again. */
  forRequests: z.number().int().min(1).optional(),
});

export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

/** The faults one request meets, fixed when it arrives. */
export interface RequestFaults {
  settings: FaultSettings;
  /** True when this request is past the usageLimitAfter quota. */
  usageLimitReached: boolean;
}

interface ApiFaultState {
  settings: FaultSettings;
  /** Requests seen since these settings were set: drives the quota and forRequests. */
  requestsSeen: number;
}

const NO_FAULTS: RequestFaults = Object.freeze({
  settings: Object.freeze({}),
  usageLimitReached: false,
});

/** The fault settings of every API, and the counters that make them change over requests. */
export class FaultBook {
  readonly #state = new Map<ApiId, ApiFaultState>();

  /** Replaces the API's faults (not a merge) and restarts its counters. Throws on bad input. */
  set(api: ApiId, faults: unknown): FaultSettings {
    const settings = FaultSettingsSchema.parse(faults);
    if (Object.keys(settings).length === 0) this.#state.delete(api);
    else this.#state.set(api, { settings, requestsSeen: 0 });
    return settings;
  }

  clear(api?: ApiId): void {
    if (api === undefined) this.#state.clear();
    else this.#state.delete(api);
  }

  current(api: ApiId): FaultSettings {
    return { ...(this.#state.get(api)?.settings ?? {}) };
  }

  /** Counts one request to `api` and returns the faults it meets. Call once per request. */
  takeForRequest(api: ApiId): RequestFaults {
    const state = this.#state.get(api);
    if (state === undefined) return NO_FAULTS;
    state.requestsSeen += 1;
    const { usageLimitAfter, forRequests } = state.settings;
    const usageLimitReached = usageLimitAfter !== undefined && state.requestsSeen > usageLimitAfter;
    if (forRequests !== undefined && state.requestsSeen >= forRequests) this.#state.delete(api);
    return { settings: state.settings, usageLimitReached };
  }
}
