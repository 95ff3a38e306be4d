import { type Config, ConfigError, getLogger } from '@trainkit/core';

/** MMEngine's launcher choices (tools/train.py's --launcher). */
export const LAUNCHERS = ['none', 'pytorch', 'slurm', 'mpi'];

/**
 * `--amp` and `--auto-scale-lr` as MMEngine's (and mmdet's) tools/train.py apply them: edits
 * that depend on what the loaded config already says.
 */
export function trainConfigEdits(flags: Map<string, string | true>): ((cfg: Config) => Record<string, unknown>) | undefined {
  const amp = flags.get('amp') === true;
  const autoScaleLr = flags.get('auto-scale-lr') === true;
  if (!amp && !autoScaleLr) return undefined;
  return (cfg) => {
    const edits: Record<string, unknown> = {};
    if (amp) Object.assign(edits, ampEdits(cfg.data.optim_wrapper));
    if (autoScaleLr) Object.assign(edits, autoScaleLrEdits(cfg.data.auto_scale_lr));
    return edits;
  };
}

function ampEdits(optimWrapper: unknown): Record<string, unknown> {
  if (!optimWrapper || typeof optimWrapper !== 'object') {
    throw new ConfigError('--amp changes the optim_wrapper, but the config has none', {
      path: 'optim_wrapper',
      fix: 'add optim_wrapper, or train without --amp',
    });
  }
  const type = (optimWrapper as { type?: unknown }).type ?? 'OptimWrapper';
  if (type === 'AmpOptimWrapper') {
    getLogger().warn('AMP training is already enabled in your config.');
    return {};
  }
  if (type !== 'OptimWrapper') {
    throw new ConfigError(`--amp is only supported when the optimizer wrapper type is OptimWrapper, but got ${JSON.stringify(type)}`, {
      path: 'optim_wrapper.type',
      found: type,
      fix: "train without --amp, or use type: 'OptimWrapper' (or 'AmpOptimWrapper') in the config",
    });
  }
  return { 'optim_wrapper.type': 'AmpOptimWrapper', 'optim_wrapper.loss_scale': 'dynamic' };
}

function autoScaleLrEdits(autoScaleLr: unknown): Record<string, unknown> {
  const base = (autoScaleLr as { base_batch_size?: unknown } | null | undefined)?.base_batch_size;
  if (typeof base !== 'number') {
    throw new ConfigError('--auto-scale-lr scales the lr by batch_size / auto_scale_lr.base_batch_size, but the config gives no base_batch_size', {
      path: 'auto_scale_lr.base_batch_size',
      found: base,
      fix: 'add auto_scale_lr: {base_batch_size: <the total batch size the lr was tuned for>} to the config',
    });
  }
  return { 'auto_scale_lr.enable': true };
}

/** `--launcher`: passed to the config's `launcher` (the run decides what it can start). */
export function launcherOverride(flags: Map<string, string | true>): Record<string, unknown> {
  const launcher = flags.get('launcher');
  if (typeof launcher !== 'string') return {};
  if (!LAUNCHERS.includes(launcher)) {
    throw new ConfigError(`--launcher ${launcher} is not a launcher`, { found: launcher, fix: `use one of ${LAUNCHERS.join(', ')}` });
  }
  return { launcher };
}
