import type { RetryPolicy } from '../settings/resolve-settings.js';
import { type HttpResponse, NetworkError } from './http-types.js';

/** Which client a request belongs to; they differ in what they retry (spec §8). */
export type RequestKind = 'graphql' | 'upsert' | 'file_stream' | 'upload';

// Answers that mean "this request is wrong", so repeating it cannot help.
const NEVER_RETRY = new Set([400, 401, 403, 404, 409, 410, 413, 422, 501]);

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function isRetryableStatus(kind: RequestKind, status: number): boolean {
  if (isSuccess(status)) return false;
  if (kind === 'upload') return status === 429 || (status >= 500 && status !== 501);
  if (kind === 'upsert' && status === 409) return true;
  return !NEVER_RETRY.has(status) && status >= 400;
}

/** Exponential back-off with 25% jitter: min·2^attempt, capped at max. */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random()): number {
  return Math.min(policy.maxWaitMs, policy.minWaitMs * 2 ** attempt * (1 + 0.25 * random));
}

/** `Retry-After` as seconds or an HTTP date; used as given (the server knows its limits best). */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * IETF rate-limit headers on file_stream answers: with nothing left in the window, the next
 * request waits until it resets.
 */
export function rateLimitDelayMs(headers: Record<string, string | string[] | undefined>): number {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const remaining = Number(one(headers['ratelimit-remaining']));
  const reset = Number(one(headers['ratelimit-reset']));
  if (Number.isFinite(remaining) && remaining <= 0 && Number.isFinite(reset) && reset > 0) return reset * 1000;
  return 0;
}

/** The caller gave up (run closing past its deadline): not a server problem. */
export class AbortedError extends Error {
  override name = 'AbortedError';
}

/** Every retry was spent (or the deadline came); `last` says what the final attempt met. */
export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';
  constructor(
    readonly last: string,
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempts: ${last}`);
  }
}

/**
 * Sleeps `ms`, woken early by `signal`. `hold` keeps the process alive meanwhile (only while a run
 * is finishing: a background retry must never keep a finished program from exiting).
 */
export function sleep(ms: number, signal?: AbortSignal, hold = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('aborted'));
    const timer = setTimeout(done, ms);
    if (!hold) timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(new AbortedError('aborted'));
      else resolve();
    }
  });
}

export interface RetryObserver {
  onRetry?(info: { kind: RequestKind; attempt: number; waitMs: number; reason: string }): void;
  /** whether waits should keep the process alive */
  hold?: () => boolean;
}

export interface RetryOptions {
  signal?: AbortSignal;
  observer?: RetryObserver;
  /** `Date.now()` after which no further attempt starts (the start of a run has one). */
  deadline?: number;
}

/**
 * The one retry loop of the plugin: sends until the answer is a success or cannot be helped by
 * repeating (returned as is), waiting `Retry-After` when the server names a time and exponential
 * back-off otherwise. `send` gets the attempt number (a caller may shorten its timeout towards a
 * deadline). Every attempt sends the same bytes, so a request that arrived but whose answer was
 * lost is harmless. Network errors are retried; any other error is thrown at once.
 */
export async function sendWithRetry(
  kind: RequestKind,
  policy: RetryPolicy,
  send: (attempt: number) => Promise<HttpResponse>,
  opts: RetryOptions = {},
): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    let wait: number;
    let reason: string;
    try {
      const res = await send(attempt);
      if (!isRetryableStatus(kind, res.status)) return res;
      reason = `HTTP ${res.status}`;
      wait = retryAfterMs(res.headers['retry-after']) ?? backoffMs(policy, attempt);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      reason = e.message;
      wait = backoffMs(policy, attempt);
    }
    const pastDeadline = opts.deadline !== undefined && Date.now() + wait >= opts.deadline;
    if (attempt >= policy.maxRetries || pastDeadline) throw new RetriesExhaustedError(reason, attempt + 1);
    opts.observer?.onRetry?.({ kind, attempt, waitMs: wait, reason });
    await sleep(wait, opts.signal, opts.observer?.hold?.() ?? false);
  }
}
