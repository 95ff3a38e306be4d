import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseOptions } from '../registry/options.js';

/**
 * MMEngine's `init_cfg: {type: 'Pretrained', checkpoint, prefix}`: before training, the model's
 * weights come from a checkpoint, or (with `prefix`) from the part of one under that prefix with
 * the prefix stripped (a backbone out of a whole detector or classifier checkpoint).
 */
export const pretrainedInitOptions = z.strictObject({
  type: z.literal('Pretrained'),
  /** A file path (relative to the working directory, as `load_from`) or an http(s) URL. */
  checkpoint: z.string().min(1),
  /** Only keys that start with it are loaded, without it; a missing final `.` is added (as MMEngine does). */
  prefix: z.string().min(1).nullable().optional(),
});

export type PretrainedInit = z.input<typeof pretrainedInitOptions>;
export type InitConfig = PretrainedInit | PretrainedInit[];

/** What `init_cfg` asks for, checked: the Pretrained loads to run, in order. */
export interface PretrainedLoad {
  checkpoint: string;
  prefix: string | undefined;
}

/** MMEngine's weight initialisers, which tfjs layers take as layer options instead. */
const LAYER_INITIALISERS = ['Constant', 'Xavier', 'Normal', 'TruncNormal', 'Uniform', 'Kaiming', 'Caffe2Xavier'];

/** Checks `init_cfg` (one config or a list) and returns the checkpoint loads it describes. */
export function parseInitCfg(cfg: unknown, path: string): PretrainedLoad[] {
  if (cfg === undefined || cfg === null) return [];
  const list = Array.isArray(cfg) ? cfg : [cfg];
  return list.map((item, i) => {
    const at = Array.isArray(cfg) ? `${path}.${i}` : path;
    const type = (item as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && type !== 'Pretrained') {
      const fix = LAYER_INITIALISERS.includes(type)
        ? `set the layer's own initializer instead, e.g. {type: 'conv2d', kernel_initializer: 'heNormal', bias_initializer: 'zeros'}; init_cfg takes type: 'Pretrained'`
        : "init_cfg takes type: 'Pretrained' with checkpoint (and prefix)";
      throw new ConfigError(`init_cfg type "${type}" is not supported`, { path: `${at}.type`, found: type, fix });
    }
    const o = parseOptions(pretrainedInitOptions, item, at, "init_cfg (type: 'Pretrained')");
    const prefix = o.prefix ? (o.prefix.endsWith('.') ? o.prefix : `${o.prefix}.`) : undefined;
    return { checkpoint: o.checkpoint, prefix };
  });
}
