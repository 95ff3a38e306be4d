import { Agent, request } from 'undici';
import type { RetryPolicy } from '../settings/resolve-settings.js';
import { type HttpRequest, type HttpResponse, NetworkError } from './http-types.js';
import { AbortedError, type RequestKind, type RetryObserver, sendWithRetry } from './retry.js';

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

  /** `send` under the plugin's one retry loop (net/retry.ts). */
  sendWithRetry(kind: RequestKind, policy: RetryPolicy, req: HttpRequest, signal?: AbortSignal, observer: RetryObserver = {}): Promise<HttpResponse> {
    return sendWithRetry(kind, policy, () => this.send(req, signal), { signal, observer });
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }
}
