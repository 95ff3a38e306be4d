import type { Timestamp } from '../record/messages.js';

/** `YYYY-MM-DDTHH:MM:SS.ffffff` in UTC without a zone, the stamp W&B puts before each console line. */
export function consoleTimestamp(t: Timestamp | undefined): string {
  const seconds = t?.seconds ?? Math.floor(Date.now() / 1000);
  const micros = Math.floor((t?.nanos ?? 0) / 1000);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}`;
}

/**
 * Turns raw console chunks (which may hold several lines, or part of one) into output.log lines.
 * A carriage return starts the line over, as a terminal shows a progress bar; stderr lines get
 * W&B's `ERROR ` prefix.
 */
export class ConsoleLines {
  private readonly partial = { stdout: '', stderr: '' };
  private readonly stamp = { stdout: '', stderr: '' };

  push(stream: 'stdout' | 'stderr', text: string, t: Timestamp | undefined, out: string[]): void {
    const parts = text.split('\n');
    for (let i = 0; i < parts.length; i++) {
      let piece = parts[i];
      if (piece.includes('\r')) {
        // keep what is after the last carriage return that is followed by text
        const segs = piece.split('\r');
        const lastNonEmpty = segs.filter((s) => s !== '').pop() ?? '';
        this.partial[stream] = '';
        piece = lastNonEmpty;
      }
      if (this.partial[stream] === '') this.stamp[stream] = consoleTimestamp(t);
      this.partial[stream] += piece;
      if (i < parts.length - 1) this.emit(stream, out);
    }
  }

  /** Emits unfinished lines (end of the run). */
  flush(out: string[]): void {
    if (this.partial.stdout) this.emit('stdout', out);
    if (this.partial.stderr) this.emit('stderr', out);
  }

  private emit(stream: 'stdout' | 'stderr', out: string[]): void {
    out.push(`${this.stamp[stream]} ${stream === 'stderr' ? 'ERROR ' : ''}${this.partial[stream]}`);
    this.partial[stream] = '';
  }
}
