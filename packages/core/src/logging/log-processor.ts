import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { Mode } from '../hooks/hook.js';
import type { HistoryBuffer } from '../message-hub/history-buffer.js';
import type { MessageHub } from '../message-hub/message-hub.js';
import { defineOptions, parseOptions } from '../registry/options.js';
import { formatExp, formatFixed, formatTimedelta } from './format.js';

/** What the log processor reads from a runner. */
export interface LogContext {
  readonly messageHub: MessageHub;
  readonly epoch: number;
  readonly iter: number;
  readonly maxEpochs: number;
  readonly maxIters: number;
  /** False for a standalone `runner.val()` / `runner.test()`. */
  readonly hasTrainLoop: boolean;
  dataloaderLength(mode: Mode): number;
  /** Memory in use by the tensor backend, in MB, if it reports it. */
  memoryMB?(): number | undefined;
}

const customCfgEntry = z.strictObject({
  data_src: z.string(),
  log_name: z.string().optional(),
  method_name: z.string().default('mean'),
  window_size: z.union([z.number().int().positive(), z.literal('epoch'), z.literal('global')]).optional(),
});

export const logProcessorOptions = defineOptions({
  window_size: z.number().int().positive().default(10),
  by_epoch: z.boolean().default(true),
  custom_cfg: z.array(customCfgEntry).default([]),
  num_digits: z.number().int().min(0).default(4),
  log_with_hierarchy: z.boolean().default(false),
  mean_pattern: z.string().default('.*(loss|time|data_time|grad_norm).*'),
});

export type LogProcessorOptions = z.input<typeof logProcessorOptions>;
type CustomCfg = z.output<typeof customCfgEntry>;
export type LogTag = Record<string, unknown>;

/**
 * Turns message-hub scalars into MMEngine's log lines and the tags sent to the visualizer.
 * Smoothing: names matching `mean_pattern` are averaged over `window_size` values, the rest are
 * the latest; `custom_cfg` adds or overrides statistics.
 */
export class LogProcessor {
  readonly windowSize: number;
  readonly byEpoch: boolean;
  readonly customCfg: CustomCfg[];
  readonly numDigits: number;
  readonly logWithHierarchy: boolean;
  readonly meanPattern: RegExp;

  constructor(options: LogProcessorOptions = {}) {
    const o = parseOptions(logProcessorOptions, options, 'log_processor', 'LogProcessor');
    this.windowSize = o.window_size;
    this.byEpoch = o.by_epoch;
    this.customCfg = o.custom_cfg;
    this.numDigits = o.num_digits;
    this.logWithHierarchy = o.log_with_hierarchy;
    this.meanPattern = new RegExp(o.mean_pattern);
    const seen = new Set<string>();
    o.custom_cfg.forEach((c, i) => {
      const name = c.log_name ?? c.data_src;
      if (seen.has(name)) {
        throw new ConfigError(`duplicate log name "${name}" in custom_cfg`, {
          path: `log_processor.custom_cfg.${i}`,
          fix: 'give each entry a distinct log_name',
        });
      }
      seen.add(name);
      if (c.window_size === 'epoch' && !this.byEpoch) {
        throw new ConfigError('window_size "epoch" needs by_epoch: true', {
          path: `log_processor.custom_cfg.${i}.window_size`,
          fix: "use 'global' or a number",
        });
      }
    });
  }

  /** The line after a train/val/test iteration and its tag. */
  getLogAfterIter(ctx: LogContext, batchIdx: number, mode: Mode): [LogTag, string] {
    const cfg = this.parseWindowSize(ctx, batchIdx, this.customCfg);
    const logTag = this.collectScalars(cfg, ctx, mode, false);
    const tag = this.logWithHierarchy ? this.collectScalars(cfg, ctx, mode, true) : { ...logTag };
    const d = this.numDigits;
    const lrParts: string[] = [];
    for (const [key, value] of Object.entries(tag)) {
      if (!key.endsWith('lr')) continue;
      const short = key.startsWith(`${mode}/`) ? key.slice(mode.length + 1) : key;
      delete logTag[short];
      lrParts.push(`${short}: ${formatExp(value as number, d)}`);
    }
    let text: string;
    if (this.byEpoch) {
      const n = ctx.dataloaderLength(mode);
      const cur = String(batchIdx + 1).padStart(String(n).length);
      if (mode === 'train' || mode === 'val') {
        const epoch = mode === 'train' ? ctx.epoch + 1 : ctx.hasTrainLoop ? ctx.epoch : 0;
        const epochStr = ctx.hasTrainLoop ? `[${epoch}]`.padStart(String(ctx.maxEpochs).length + 3) : ` [${epoch}]`;
        tag.epoch = epoch;
        text = `Epoch(${mode})${epochStr}[${cur}/${n}]  `;
      } else {
        text = `Epoch(${mode}) [${cur}/${n}]  `;
      }
    } else if (mode === 'train') {
      const cur = String(ctx.iter + 1).padStart(String(ctx.maxIters).length);
      text = `Iter(${mode}) [${cur}/${ctx.maxIters}]  `;
    } else {
      const n = ctx.dataloaderLength(mode);
      text = `Iter(${mode}) [${String(batchIdx + 1).padStart(String(n).length)}/${n}]  `;
    }
    tag.iter = ctx.hasTrainLoop ? ctx.iter + 1 : 0;
    text += `${lrParts.join(' ')}  `;
    const eta = ctx.messageHub.getInfo<number>('eta');
    if ('time' in logTag && 'data_time' in logTag && eta !== undefined) {
      text += `eta: ${formatTimedelta(eta)}  time: ${formatFixed(logTag.time as number, d)}  data_time: ${formatFixed(logTag.data_time as number, d)}  `;
      delete logTag.time;
      delete logTag.data_time;
    }
    const memory = ctx.memoryMB?.();
    if (memory !== undefined) {
      text += `memory: ${memory}  `;
      tag.memory = memory;
    }
    if (mode === 'train' || mode === 'val') {
      const items: string[] = [];
      for (const [name, v] of Object.entries(logTag)) {
        if (mode === 'val' && !name.startsWith('val/loss')) continue;
        items.push(`${name}: ${formatValue(v, d, true)}`);
      }
      text += items.join('  ');
    }
    return [tag, text.trimEnd()];
  }

  /** The line after a val/test epoch (metrics, then mean data_time and time) and its tag. */
  getLogAfterEpoch(ctx: LogContext, batchIdx: number, mode: 'val' | 'test', withNonScalar = false): [LogTag, string] {
    const cfg = this.customCfg.map((c) => ({ ...c }));
    const customKeys = new Set(cfg.map((c) => (c.data_src.startsWith(`${mode}/`) ? c.data_src.slice(mode.length + 1) : c.data_src)));
    if (!customKeys.has('time')) cfg.push({ data_src: 'time', window_size: 'epoch', method_name: 'mean' });
    if (!customKeys.has('data_time')) cfg.push({ data_src: 'data_time', window_size: 'epoch', method_name: 'mean' });
    const parsed = this.parseWindowSize(ctx, batchIdx, cfg);
    const collected = this.collectScalars(parsed, ctx, mode, this.logWithHierarchy);
    const nonScalars = this.collectNonScalars(ctx, mode);
    const tag: LogTag = {};
    const timeTag: LogTag = {};
    const timeKeys = new Set([`${mode}/time`, `${mode}/data_time`, 'time', 'data_time']);
    for (const [k, v] of Object.entries(collected)) (timeKeys.has(k) ? timeTag : tag)[k] = v;
    const items: string[] = [];
    for (const [k, v] of Object.entries(tag)) items.push(`${k}: ${formatValue(v, this.numDigits, true)}`);
    for (const [k, v] of Object.entries(nonScalars)) items.push(`${k}: ${formatValue(v, this.numDigits, false)}`);
    for (const [k, v] of Object.entries(timeTag)) items.push(`${k}: ${formatValue(v, this.numDigits, true)}`);
    if (withNonScalar) Object.assign(tag, nonScalars);
    Object.assign(tag, timeTag);
    const n = ctx.dataloaderLength(mode);
    let header: string;
    if (this.byEpoch) {
      header = mode === 'val' ? `Epoch(${mode}) [${ctx.hasTrainLoop ? ctx.epoch : 0}][${n}/${n}]  ` : `Epoch(${mode}) [${n}/${n}]  `;
    } else {
      header = `Iter(${mode}) [${n}/${n}]  `;
    }
    return [tag, `${header}  ${items.join('  ')}`.trimEnd()];
  }

  /** Window sizes as numbers: `epoch` is the batches so far, `global` the iterations so far. */
  private parseWindowSize(ctx: LogContext, batchIdx: number, cfg: CustomCfg[]): Array<CustomCfg & { window?: number }> {
    return cfg.map((c) => {
      const window = c.window_size === 'epoch' ? batchIdx + 1 : c.window_size === 'global' ? ctx.iter + 1 : c.window_size;
      return { ...c, window };
    });
  }

  private collectScalars(cfg: Array<CustomCfg & { window?: number }>, ctx: LogContext, mode: Mode, keepPrefix: boolean): LogTag {
    const tag: LogTag = {};
    const modeScalars = new Map<string, HistoryBuffer>();
    for (const [key, buffer] of ctx.messageHub.logScalars) {
      if (!key.startsWith(mode)) continue;
      // only `<mode>/` is stripped: `train/x/y` logs as `x/y`, `trainer_x` stays as it is
      modeScalars.set(keepPrefix || !key.startsWith(`${mode}/`) ? key : key.slice(mode.length + 1), buffer);
    }
    for (const [key, buffer] of modeScalars) {
      tag[key] = this.meanPattern.test(key) ? buffer.mean(this.windowSize) : buffer.current();
    }
    for (const c of cfg) {
      const src = keepPrefix ? `${mode}/${c.data_src}` : c.data_src;
      const name = keepPrefix ? `${mode}/${c.log_name ?? c.data_src}` : (c.log_name ?? c.data_src);
      const buffer = modeScalars.get(src);
      if (buffer) tag[name] = buffer.statistics(c.method_name, c.window);
    }
    return tag;
  }

  private collectNonScalars(ctx: LogContext, mode: Mode): LogTag {
    const tag: LogTag = {};
    for (const [key, value] of ctx.messageHub.runtimeInfo) {
      if (!key.startsWith(`${mode}/`)) continue;
      tag[this.logWithHierarchy ? key : key.slice(mode.length + 1)] = value;
    }
    return tag;
  }
}

function formatValue(v: unknown, digits: number, scalar: boolean): string {
  if (typeof v === 'number') return scalar || !Number.isInteger(v) ? formatFixed(v, digits) : String(v);
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return `\n${JSON.stringify(Array.from(v as ArrayLike<number>))}\n`;
  return String(v);
}
