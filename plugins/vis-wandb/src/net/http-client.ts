import { Agent, request } from 'undici';
import type { RetryPolicy } from '../settings/resolve-settings.js';
import { type HttpRequest, type HttpResponse, NetworkError } from './http-types.js';
import { type RequestKind, backoffMs, isRetryableStatus, retryAfterMs } from './retry.js';

/** The caller gave up (run closing past its deadline): not a server problem. */
export class AbortedError extends Error {
  override name = 'AbortedError';
}

/** Every retry was spent; `last` says what the final attempt met. */
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

/** undici with one connection pool per client; timeouts per attempt. */
export class HttpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 4_000, connect: { timeout: 15_000 } });

  async send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    if (signal?.aborted) throw new AbortedError('aborted');
    // our own timer: undici's timeouts tick in whole seconds
    const timeout = new AbortController();
    const timer = req.timeoutMs > 0 ? setTimeout(() => timeout.abort(), req.timeoutMs) : undefined;
    timer?.unref();
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body };
    } catch (e) {
      if (signal?.aborted) throw new AbortedError('aborted');
      if (timeout.signal.aborted) throw new NetworkError(`no answer within ${req.timeoutMs} ms`, 'TIMEOUT');
      const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      const code = err.code ?? err.cause?.code;
      throw new NetworkError(`${code ?? 'network error'}: ${err.cause?.message ?? err.message ?? String(e)}`, code);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends until the answer is a success or cannot be helped by repeating (returned as is), waiting
   * `Retry-After` when the server names a time and exponential back-off otherwise. Every attempt
   * sends the same bytes, so a request that arrived but whose answer was lost is harmless.
   */
  async sendWithRetry(kind: RequestKind, policy: RetryPolicy, req: HttpRequest, signal?: AbortSignal, observer: RetryObserver = {}): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      let wait: number;
      let reason: string;
      try {
        const res = await this.send(req, signal);
        if (!isRetryableStatus(kind, res.status)) return res;
        reason = `HTTP ${res.status}`;
        wait = retryAfterMs(res.headers['retry-after']) ?? backoffMs(policy, attempt);
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        reason = e.message;
        wait = backoffMs(policy, attempt);
      }
      if (attempt >= policy.maxRetries) throw new RetriesExhaustedError(reason, attempt + 1);
      observer.onRetry?.({ kind, attempt, waitMs: wait, reason });
      await sleep(wait, signal, observer.hold?.() ?? false);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }
}
