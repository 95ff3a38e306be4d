const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * `_timestamp` (Unix seconds) and `_runtime` (seconds since the run started) for each row, as
 * JSON with millisecond precision, built from integers: formatting two doubles per row would cost
 * more than the rest of the row's encoding.
 */
export class RowClock {
  private readonly startMs: number;
  private lastSecond = -1;
  private lastSecondText = '';

  /** `offsetSeconds`: runtime a resumed run already had. */
  constructor(offsetSeconds = 0) {
    this.startMs = Date.now() - Math.round(offsetSeconds * 1000);
  }

  /** Seconds since the start (as a number). */
  runtime(now = Date.now()): number {
    return (now - this.startMs) / 1000;
  }

  runtimeJson(now: number): string {
    const ms = Math.max(0, now - this.startMs);
    return `${Math.floor(ms / 1000)}.${MILLIS[ms % 1000]}`;
  }

  timestampJson(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.lastSecondText = String(second);
    }
    return `${this.lastSecondText}.${MILLIS[now % 1000]}`;
  }
}
