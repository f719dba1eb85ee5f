/** A scripted stand-in for the vendor gateway: each send takes the next scripted answer. */
import type { VerificationSender } from '../../main/queue/delivery/deliver-job.js';
import type { VendorCredentials, VerificationRequest } from '../../model/request.js';
import type { VerificationResult } from '../../model/result-model.js';
import { livenessResult } from './queue-fixtures.js';

type Answer = VerificationResult | Error | (() => Promise<VerificationResult>);

export class FakeSender implements VerificationSender {
  readonly sent: { request: VerificationRequest; credentials: VendorCredentials }[] = [];
  readonly #script: Answer[] = [];
  #fallback: Answer | undefined;

  /** Answers for the next sends, in order. */
  answer(...answers: Answer[]): this {
    this.#script.push(...answers);
    return this;
  }

  /** The answer for every send once the script is used up (default: a live result). */
  always(answer: Answer): this {
    this.#fallback = answer;
    return this;
  }

  async send(
    request: VerificationRequest,
    options: { credentials: VendorCredentials; signal?: AbortSignal },
  ): Promise<VerificationResult> {
    this.sent.push({ request, credentials: options.credentials });
    const answer = this.#script.shift() ?? this.#fallback ?? livenessResult(request.api);
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer();
    return answer;
  }
}
