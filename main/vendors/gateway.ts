/**
 * The vendor gateway: one entry point that sends a verification to whichever API it names and
 * returns the normalized result, or throws exactly one VendorError. One pooled keep-alive
 * undici dispatcher per vendor origin; credentials are added at send time and kept nowhere.
 */
import FormData from 'form-data';
import { Pool } from 'undici';
import type { ApiAdapter, EncodedRequest } from './api-adapter.js';
import {
  API_DISPLAY_NAME,
  API_PATH,
  DEFAULT_BASE_URL,
  VENDOR_DISPLAY_NAME,
  VENDOR_OF_API,
  type ApiId,
  type VendorId,
} from '../../model/apis.js';
import { biometricKzLivenessAdapter } from './biometric-kz-liveness.js';
import { VendorError } from './vendor-error.js';
import { DEFAULT_TIMEOUTS, postMultipart, type TransportTimeouts } from './http-transport.js';
import { kairosBiometricAdapter } from './kairos-biometric.js';
import { kairosLivenessAdapter } from './kairos-liveness.js';
import type { VerificationResult } from '../../model/result-model.js';
import { errorForStatus } from './status-errors.js';
import {
  isSendableCredential,
  type VendorCredentials,
  type VerificationRequest,
} from '../../model/request.js';

const ADAPTERS: { [A in ApiId]: ApiAdapter<Extract<VerificationRequest, { api: A }>> } = {
  'kairos-liveness-v0.1': kairosLivenessAdapter('kairos-liveness-v0.1'),
  'kairos-liveness-v0.2': kairosLivenessAdapter('kairos-liveness-v0.2'),
  'kairos-biometric-v0.1': kairosBiometricAdapter,
  'biometric-kz-liveness-short': biometricKzLivenessAdapter,
};

export interface GatewayOptions {
  /** Per-vendor base URL; the documents' hosts by default. */
  baseUrls?: Partial<Record<VendorId, string>>;
  timeouts?: Partial<TransportTimeouts>;
  /**
   * Sockets per vendor origin. 4: the queue sends one job per vendor at a time by default, and
   * a few more cover the live customer's request and the connectivity probe without queuing.
   */
  connectionsPerOrigin?: number;
}

export interface SendOptions {
  credentials: VendorCredentials;
  signal?: AbortSignal;
  /** Bytes of the multipart body handed to the socket so far, of the total. */
  onUploadProgress?: (sent: number, total: number) => void;
}

function secretsOf(credentials: VendorCredentials): string[] {
  return credentials.vendor === 'kairos'
    ? [credentials.appId, credentials.appKey]
    : [credentials.apiKey];
}

/** Each credential with what staff call it, for messages that name it (never its value). */
function labelledSecretsOf(credentials: VendorCredentials): [label: string, value: string][] {
  return credentials.vendor === 'kairos'
    ? [
        ['app ID', credentials.appId],
        ['app key', credentials.appKey],
      ]
    : [['API key', credentials.apiKey]];
}

function checkCredentials(vendor: VendorId, credentials: VendorCredentials): void {
  const name = VENDOR_DISPLAY_NAME[vendor];
  if (credentials.vendor !== vendor) {
    throw new VendorError('auth', `The credentials given are not ${name}'s.`);
  }
  if (secretsOf(credentials).some((secret) => secret.trim() === '')) {
    throw new VendorError(
      'auth',
      `No ${name} credentials are set on this kiosk. Ask IT to set them (kiosk-verify secrets set).`,
    );
  }
  // Kairos keys travel in headers, biometric.kz's in a form field: either way only visible
  // ASCII arrives intact. Refused here, before any connection is used.
  const unsendable = labelledSecretsOf(credentials).find(
    ([, value]) => !isSendableCredential(value),
  );
  if (unsendable !== undefined) {
    throw new VendorError(
      'auth',
      `The ${name} ${unsendable[0]} set on this kiosk contains a character that cannot be sent (only visible ASCII: letters, digits and punctuation; no spaces, accented letters or line breaks). Nothing was sent. Sending to ${name} is paused; set it again with "kiosk-verify secrets set ${vendor}".`,
    );
  }
}

function encodeMultipart(encoded: EncodedRequest): {
  body: Buffer;
  headers: Record<string, string>;
} {
  const form = new FormData();
  for (const [name, value] of encoded.fields) {
    if (typeof value === 'string') form.append(name, value);
    else {
      form.append(
        name,
        Buffer.from(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength),
        {
          filename: value.fileName,
          contentType: value.contentType,
        },
      );
    }
  }
  return { body: form.getBuffer(), headers: { ...encoded.headers, ...form.getHeaders() } };
}

/** undici refused the request's arguments while dispatching it (nothing was sent). */
function refusedByUndici(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return (
    typeof cause === 'object' &&
    cause !== null &&
    (cause as { code?: unknown }).code === 'UND_ERR_INVALID_ARG'
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class VendorGateway {
  private readonly pools = new Map<string, Pool>();
  private baseUrls: Record<VendorId, string>;
  private readonly timeouts: TransportTimeouts;
  private readonly connectionsPerOrigin: number;

  constructor(options: GatewayOptions = {}) {
    this.baseUrls = { ...DEFAULT_BASE_URL, ...options.baseUrls };
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.connectionsPerOrigin = options.connectionsPerOrigin ?? 4;
  }

  /**
   * New API addresses from the settings, used from the next request on (no restart); a
   * request under way finishes on the old one.
   */
  setBaseUrls(baseUrls: Partial<Record<VendorId, string>>): void {
    this.baseUrls = { ...DEFAULT_BASE_URL, ...baseUrls };
  }

  /** The full URL a request for this API goes to. */
  endpointOf(api: ApiId): URL {
    const base = this.baseUrls[VENDOR_OF_API[api]].replace(/\/+$/, '');
    return new URL(base + API_PATH[api]);
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.connectionsPerOrigin,
        connectTimeout: this.timeouts.connectMs,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
        // A branch proxy or NAT often drops idle sockets after about a minute; reusing a dead
        // one costs a failed request, so let go of idle sockets well before that.
        keepAliveTimeout: 20_000,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * Lets go of a pool undici has wedged: a request it refuses while dispatching leaves that
   * connection marked busy for good. The next send gets a fresh pool; requests already running
   * on the old one finish before it closes.
   */
  private retirePool(origin: string): void {
    const pool = this.pools.get(origin);
    if (pool === undefined) return;
    this.pools.delete(origin);
    pool.close().catch(() => undefined);
  }

  /** Sends one verification now. Resolves with the normalized result; throws a VendorError. */
  async send(request: VerificationRequest, options: SendOptions): Promise<VerificationResult> {
    const vendor = VENDOR_OF_API[request.api];
    checkCredentials(vendor, options.credentials);
    const adapter = ADAPTERS[request.api] as ApiAdapter<VerificationRequest>;
    const url = this.endpointOf(request.api);
    const { body, headers } = encodeMultipart(adapter.encode(request, options.credentials));
    const vendorName = API_DISPLAY_NAME[request.api];

    const response = await postMultipart(this.poolFor(url.origin), {
      url,
      headers,
      body,
      vendorName,
      signal: options.signal,
      onUploadProgress: options.onUploadProgress,
      deadlineMs: this.timeouts.deadlineMs,
    }).catch((error: unknown) => {
      if (refusedByUndici(error)) this.retirePool(url.origin);
      throw error;
    });
    const requestIdHeader = headerValue(response.headers['x-request-id']);
    const contentType = headerValue(response.headers['content-type']);

    if (response.status < 200 || response.status >= 300) {
      throw errorForStatus({
        status: response.status,
        body: response.body,
        contentType,
        vendorName,
        requestId: requestIdHeader,
        classifyRejection: adapter.classifyRejection,
        redact: secretsOf(options.credentials),
        url: url.origin + url.pathname,
      });
    }
    return this.readAnswer(adapter, request, response.body, response.truncated, {
      vendorName,
      requestIdHeader,
    });
  }

  private readAnswer(
    adapter: ApiAdapter<VerificationRequest>,
    request: VerificationRequest,
    text: string,
    truncated: boolean,
    context: { vendorName: string; requestIdHeader: string | undefined },
  ): VerificationResult {
    const unexpected = (what: string, cause?: unknown) =>
      new VendorError(
        'bad-response',
        `${context.vendorName} answered, but ${what}. It will be sent again later; if this repeats, call support.`,
        { status: 200, requestId: context.requestIdHeader, cause },
      );
    if (truncated) throw unexpected('the answer was far larger than any result');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw unexpected('not with readable JSON (perhaps a proxy or a login page)', error);
    }
    try {
      const result = adapter.normalize(body, request, {
        requestIdHeader: context.requestIdHeader,
        receivedAt: new Date(),
      });
      return result.requestId === null && context.requestIdHeader !== undefined
        ? { ...result, requestId: context.requestIdHeader }
        : result;
    } catch (error) {
      throw unexpected('its answer does not have the documented fields', error);
    }
  }

  /** Closes every pooled connection; pending requests fail. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
