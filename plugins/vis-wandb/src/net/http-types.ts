/** One HTTP exchange as the W&B clients see it, whichever transport carried it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** per attempt, 0 = none */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A transport failure (refused, reset, timed out): the request may or may not have arrived. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}
