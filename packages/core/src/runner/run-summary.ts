import * as path from 'node:path';
import type { Metrics } from '../types.js';
import type { Runner } from './runner.js';

/** A path as a person at this terminal would type it: relative when under the current folder. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** `1h 02m 03s`, `4m 05s`, `12.3s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${sec}s` : `${m}m ${sec}s`;
}

function formatValue(v: unknown): string {
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** Scalar metrics as `name: value` pairs (arrays and objects are left to the log and backends). */
export function formatMetrics(metrics: Metrics): string {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join('  ');
}

/**
 * What a person wants to know when training ends, printed by core so that a run without
 * LoggerHook ends with it too: how far it got and how long it took, the last loss and
 * validation metrics, the best checkpoint, where the checkpoints and the log are.
 */
export function trainSummary(runner: Runner, elapsedMs: number, stoppedBy: string | undefined): string {
  const hub = runner.messageHub;
  const loop = runner.trainLoop;
  const progress = loop?.maxEpochs && loop.maxEpochs > 1 ? `${runner.epoch}/${loop.maxEpochs} epochs, ` : '';
  const head = stoppedBy ? `Training stopped by ${stoppedBy}` : 'Training finished';
  const lines = [`${head}: ${progress}${runner.iter} iterations in ${formatDuration(elapsedMs)}`];
  if (hub.hasScalar('train/loss')) {
    const window = Math.min(hub.getScalar('train/loss').length, 20);
    lines.push(`    loss: ${formatValue(hub.getScalar('train/loss').mean(window))} (mean of the last ${window} iterations)`);
  }
  const val = runner.valLoop?.lastMetrics;
  if (val && formatMetrics(val)) lines.push(`    val: ${formatMetrics(val)}`);
  // the hub keeps checkpoint paths relative to the checkpoint folder (absolute in older runs)
  const inCheckpointDir = (p: string) => path.resolve(runner.checkpointDir, p);
  const bestScore = hub.getInfo<number>('best_score');
  const bestCkpt = hub.getInfo<string>('best_ckpt');
  if (typeof bestScore === 'number' && bestCkpt) lines.push(`    best: ${formatValue(bestScore)} in ${shownPath(inCheckpointDir(bestCkpt))}`);
  const last = hub.getInfo<string>('interrupted_ckpt') ?? hub.getInfo<string>('last_ckpt');
  if (last)
    lines.push(
      `    checkpoints: ${shownPath(path.dirname(inCheckpointDir(last)))} (newest: ${path.basename(last)}${stoppedBy ? '; continue with --resume' : ''})`,
    );
  else lines.push('    checkpoints: none saved (no CheckpointHook in default_hooks)');
  if (runner.logger.file) lines.push(`    log: ${shownPath(runner.logger.file)}`);
  return lines.join('\n');
}
