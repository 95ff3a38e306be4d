import type { RetryPolicy } from '../settings/resolve-settings.js';

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
