import type { sortKeys } from './options.js';
import type { ProfiledIteration } from './types.js';

interface Row {
  name: string;
  calls: number;
  totalMs: number;
  bytes: number;
  wraps: boolean;
}

export interface TableOptions {
  sortBy: (typeof sortKeys)[number];
  rowLimit: number;
  profileMemory: boolean;
}

/**
 * Per-kernel totals over the profiled iterations, as an aligned text table (the counterpart of
 * torch.profiler's `key_averages().table()`), with the wall time the kernels account for.
 */
export function kernelTable(iterations: ProfiledIteration[], o: TableOptions): string {
  const rows = new Map<string, Row>();
  let kernelMs = 0;
  let untimed = false;
  for (const it of iterations) {
    for (const k of it.kernels) {
      const key = `${k.wraps ? '*' : ''}${k.name}`;
      const row = rows.get(key) ?? { name: k.wraps ? `${k.name} *` : k.name, calls: 0, totalMs: 0, bytes: 0, wraps: k.wraps };
      row.calls++;
      if (Number.isFinite(k.timeMs)) row.totalMs += k.timeMs;
      else untimed = true;
      row.bytes += k.bytesAdded;
      rows.set(key, row);
      if (!k.wraps && Number.isFinite(k.timeMs)) kernelMs += k.timeMs;
    }
  }
  const wallMs = iterations.reduce((a, it) => a + it.wallMs, 0);
  const key = (r: Row) => (o.sortBy === 'calls' ? r.calls : o.sortBy === 'bytes' ? r.bytes : o.sortBy === 'mean_ms' ? r.totalMs / r.calls : r.totalMs);
  const sorted = [...rows.values()].sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name));
  const shown = sorted.slice(0, o.rowLimit);
  const header = ['Kernel', 'Calls', 'Total ms', 'Mean ms', '% kernels', ...(o.profileMemory ? ['Bytes added'] : [])];
  const body = shown.map((r) => [
    r.name,
    String(r.calls),
    r.totalMs.toFixed(3),
    (r.totalMs / r.calls).toFixed(3),
    r.wraps || kernelMs === 0 ? '' : `${((100 * r.totalMs) / kernelMs).toFixed(1)}%`,
    ...(o.profileMemory ? [String(r.bytes)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (sorted.length > shown.length) out.push(`... ${sorted.length - shown.length} more (row_limit ${o.rowLimit})`);
  out.push(
    `${iterations.length} iteration(s): ${wallMs.toFixed(3)} ms wall, ${kernelMs.toFixed(3)} ms in kernels (${wallMs > 0 ? ((100 * kernelMs) / wallMs).toFixed(1) : '0.0'}%)`,
  );
  if ([...rows.values()].some((r) => r.wraps)) out.push('* an op that runs kernels under it: its time includes theirs and is not added to the kernel total');
  if (untimed) out.push('some kernels were not timed by this backend (counted with 0 ms)');
  return out.join('\n');
}
