import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Checkpoint, type CheckpointFormat, type CheckpointMeta, disposeCheckpoint } from '../checkpoint/checkpoint.js';
import { listCheckpoints, readLastCheckpoint } from '../checkpoint/find-latest.js';
import { CheckpointError, TrainkitError } from '../errors.js';
import { getRandomState, setRandomSeed, setRandomState } from '../randomness/seed.js';
import { CHECKPOINT_FORMATS } from '../registry/root.js';
import type { ParamSchedulerLike } from '../optim/types.js';
import type { Runner } from './runner.js';
import { timestampNow } from './run-folder.js';
import { VERSIONS } from './versions.js';

export const DEFAULT_CHECKPOINT_FORMAT = 'SafetensorsCheckpoint';

let formats: CheckpointFormat[] | undefined;

/** The registered checkpoint formats (built once). */
function allFormats(): CheckpointFormat[] {
  if (!formats || formats.length !== CHECKPOINT_FORMATS.keys().length) {
    formats = CHECKPOINT_FORMATS.keys().map((k) => CHECKPOINT_FORMATS.build<CheckpointFormat>({ type: k }, {}, 'checkpoint_format'));
  }
  return formats;
}

/** The format that saves new checkpoints (`SafetensorsCheckpoint` unless another is the only one). */
export function checkpointFormat(): CheckpointFormat {
  if (CHECKPOINT_FORMATS.has(DEFAULT_CHECKPOINT_FORMAT)) return allFormats()[CHECKPOINT_FORMATS.keys().indexOf(DEFAULT_CHECKPOINT_FORMAT)];
  const any = allFormats()[0];
  if (!any) throw CHECKPOINT_FORMATS.unknownTypeError(DEFAULT_CHECKPOINT_FORMAT, 'default_hooks.checkpoint');
  return any;
}

/** The format for a file (by extension), falling back to the default one. */
export function formatFor(source: string): CheckpointFormat {
  const clean = source.split('?')[0];
  return allFormats().find((f) => f.extensions.some((e) => clean.endsWith(e))) ?? checkpointFormat();
}

export interface SaveOptions {
  saveOptimizer?: boolean;
  saveParamScheduler?: boolean;
  meta?: Partial<CheckpointMeta>;
  /** The file is written while training goes on (see CheckpointSaveOptions). */
  background?: boolean;
}

/** A save whose checkpoint is snapshotted and whose file is still being written. */
export interface PendingCheckpointSave {
  file: string;
  /** Settles once the file is complete and durable (or the write failed). */
  written: Promise<void>;
}

/** Everything a resumed run needs, in MMEngine's layout plus RNG and sampler state. */
export async function collectCheckpoint(runner: Runner, opts: SaveOptions): Promise<Checkpoint> {
  await runner.messageHub.settle(); // losses still on a GPU join the saved history
  const meta: CheckpointMeta = {
    epoch: runner.epoch,
    iter: runner.iter,
    ...opts.meta,
    cfg: runner.cfg.dump(),
    seed: runner.seed,
    experiment_name: runner.experimentName,
    time: timestampNow(),
    trainkit_version: VERSIONS.trainkit,
    tfjs_version: VERSIONS.tfjs,
    tfjs_backend: runner.backend,
    // relative, so a checkpoint resumed in another work_dir never sends logs back to this one
    log_dir: path.relative(runner.workDir, runner.chainLogDir),
    rng_state: getRandomState(),
    sampler_state: runner.trainDataloader?.sampler.stateDict?.(),
  };
  const datasetMeta = runner.trainDataloader?.dataset.metainfo;
  if (datasetMeta && Object.keys(datasetMeta).length) meta.dataset_meta = datasetMeta as Record<string, unknown>;
  const checkpoint: Checkpoint = { meta, state_dict: runner.model.stateDict(), message_hub: runner.messageHub.stateDict() };
  if ((opts.saveOptimizer ?? true) && runner.optimWrapper) checkpoint.optimizer = runner.optimWrapper.stateDict();
  if ((opts.saveParamScheduler ?? true) && runner.paramSchedulers) {
    const s = runner.paramSchedulers;
    checkpoint.param_schedulers = Array.isArray(s)
      ? s.map((x) => x.stateDict())
      : Object.fromEntries(Object.entries(s).map(([k, l]) => [k, l.map((x) => x.stateDict())]));
  } else if ((opts.saveParamScheduler ?? true) && runner.optimWrapper && !runner.paramSchedulers) {
    runner.logger.debug('`save_param_scheduler` is True but there are no parameter schedulers, so none are saved');
  }
  await runner.callHook('beforeSaveCheckpoint', checkpoint);
  return checkpoint;
}

/**
 * Collects a checkpoint and starts writing it. Resolves once everything is snapshotted, so the
 * caller may go on training while `written` is pending (`async_save`).
 */
export async function startSaveCheckpoint(runner: Runner, outDir: string, filename: string, opts: SaveOptions = {}): Promise<PendingCheckpointSave> {
  const checkpoint = await collectCheckpoint(runner, opts);
  const file = path.join(outDir, filename);
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new CheckpointError(`cannot create the checkpoint folder ${outDir}: ${(e as Error).message}. Set out_dir to a folder you can write to`);
  }
  const written = formatFor(file).save(file, checkpoint, { background: opts.background });
  // awaited by the caller; this only keeps a failure from counting as unhandled meanwhile
  written.catch(() => {});
  return { file, written };
}

/** Saves a checkpoint file; returns its path. */
export async function saveCheckpoint(runner: Runner, outDir: string, filename: string, opts: SaveOptions = {}): Promise<string> {
  const pending = await startSaveCheckpoint(runner, outDir, filename, opts);
  await pending.written;
  return pending.file;
}

export interface LoadOptions {
  strict?: boolean;
  /** Regex replacements applied to state dict keys (default: strip a leading `module.`). */
  revise_keys?: Array<[string, string]>;
  /** Loads only the keys under this prefix, without it (e.g. `backbone.` of a detector checkpoint). */
  prefix?: string;
  /** Let `afterLoadCheckpoint` hooks see it (default); `init_cfg`'s pretrained weights skip them, as in MMEngine. */
  callHooks?: boolean;
}

/** Loads weights (after `afterLoadCheckpoint` hooks have seen the checkpoint); returns it. */
export async function loadCheckpoint(runner: Runner, source: string, opts: LoadOptions = {}): Promise<Checkpoint> {
  const checkpoint = await formatFor(source).load(source);
  try {
    if (opts.callHooks ?? true) await runner.callHook('afterLoadCheckpoint', checkpoint);
    const raw = (checkpoint.state_dict ?? checkpoint) as Record<string, import('@tensorflow/tfjs').Tensor>;
    const revise = opts.revise_keys ?? [['^module\\.', '']];
    const sd: Record<string, import('@tensorflow/tfjs').Tensor> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (opts.prefix !== undefined && !k.startsWith(opts.prefix)) continue;
      let key = opts.prefix !== undefined ? k.slice(opts.prefix.length) : k;
      for (const [pattern, repl] of revise) key = key.replace(new RegExp(pattern), repl);
      sd[key] = v;
    }
    if (opts.prefix !== undefined && Object.keys(sd).length === 0) {
      const sample = Object.keys(raw).slice(0, 5).join(', ');
      throw new CheckpointError(`${source}: no state_dict key starts with the prefix "${opts.prefix}" (its keys begin: ${sample || 'none'})`);
    }
    const report = runner.model.loadStateDict(sd, opts.strict ?? false);
    const lines: string[] = [];
    if (report.unexpected.length) lines.push(`unexpected key in source state_dict: ${report.unexpected.join(', ')}`);
    if (report.missing.length) lines.push(`missing keys in source state_dict: ${report.missing.join(', ')}`);
    if (lines.length) runner.logger.warn(`The model and loaded state dict do not match exactly\n${lines.join('\n')}`);
  } catch (e) {
    // the caller never sees the checkpoint, so nobody else could free its tensors
    disposeCheckpoint(checkpoint);
    if (e instanceof TrainkitError && !(e instanceof CheckpointError) && !e.message.includes(source)) {
      // the model's own message names the tensor; the file and what to do come from here
      throw new CheckpointError(
        `${source}: ${e.message}\n  fix: load a checkpoint saved by this model (same layers and sizes), or change the model in the config to the one that saved it`,
      );
    }
    throw e;
  }
  runner.logger.info(opts.prefix !== undefined ? `Load ${opts.prefix} in model from ${source}` : `Load checkpoint from ${source}`);
  return checkpoint;
}

/** Loads the checkpoints the model's `init_cfg` names (MMEngine's PretrainedInit), before load_from and resume. */
export async function loadPretrained(runner: Runner): Promise<void> {
  // a model built in code need not extend BaseModel, so it may have no initCfg
  for (const { checkpoint, prefix } of runner.model.initCfg ?? []) {
    disposeCheckpoint(await loadCheckpoint(runner, checkpoint, { prefix, callHooks: false }));
  }
}

/** Restores everything a checkpoint holds into a runner whose train loop is built. */
export async function resumeFrom(runner: Runner, source: string): Promise<void> {
  const checkpoint = await loadCheckpoint(runner, source);
  try {
    const meta = checkpoint.meta ?? ({} as CheckpointMeta);
    for (const key of ['epoch', 'iter'] as const) {
      const v = meta[key];
      if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0))
        throw new CheckpointError(`${source}: meta.${key} is ${JSON.stringify(v)}, not a count; the file was damaged or crafted. Use another checkpoint`);
    }
    const loop = runner.trainLoop;
    if (loop) {
      loop.epoch = meta.epoch ?? 0;
      loop.iter = meta.iter ?? 0;
    }
    if (meta.seed !== undefined && meta.seed !== runner.seed) {
      if (runner.seedConfigured) {
        runner.logger.warn(`The value of random seed in the checkpoint "${meta.seed}" is different from the value in \`randomness\` config "${runner.seed}"`);
      }
      runner.seed = meta.seed;
      setRandomSeed(meta.seed);
    }
    const currentMeta = runner.trainDataloader?.dataset.metainfo;
    if (meta.dataset_meta && currentMeta && JSON.stringify(meta.dataset_meta) !== JSON.stringify(currentMeta)) {
      runner.logger.warn(
        'The dataset metainfo from the resumed checkpoint is different from the current training dataset, please check the correctness of the checkpoint or the training dataset.',
      );
    }
    if (checkpoint.message_hub) runner.messageHub.loadStateDict(checkpoint.message_hub);
    if (checkpoint.optimizer && runner.optimWrapper) runner.optimWrapper.loadStateDict(checkpoint.optimizer);
    else if (runner.optimWrapper && loop) {
      runner.logger.warn(`${source} has no optimizer state (saved with save_optimizer=False?): the optimizer starts from scratch`);
    }
    const saved = checkpoint.param_schedulers;
    const live = runner.paramSchedulers;
    if (saved && live) {
      const pairs: Array<[ParamSchedulerLike, Record<string, unknown> | undefined]> = [];
      if (Array.isArray(live) && Array.isArray(saved)) for (const [i, s] of live.entries()) pairs.push([s, saved[i]]);
      else if (!Array.isArray(live) && !Array.isArray(saved))
        for (const [k, l] of Object.entries(live)) for (const [i, s] of l.entries()) pairs.push([s, saved[k]?.[i]]);
      for (const [s, state] of pairs) if (state) s.loadStateDict(state);
    } else if (live && !saved) {
      runner.logger.warn('the checkpoint has no parameter scheduler states: schedulers start from their initial values');
    }
    if (meta.sampler_state) runner.trainDataloader?.sampler.loadStateDict?.(meta.sampler_state);
    // last, so that nothing built or loaded above consumes numbers from the restored stream
    setRandomState(meta.rng_state);
    if (typeof meta.log_dir === 'string') {
      const dir = path.resolve(runner.workDir, meta.log_dir);
      const rel = path.relative(runner.workDir, dir);
      // the chain continues only inside this work_dir (older checkpoints hold absolute paths)
      if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && fs.existsSync(dir)) runner.chainLogDir = dir;
    }
    runner.visualizer.resumeFrom(meta.iter ?? 0, { logDir: runner.chainLogDir === runner.logDir ? undefined : runner.chainLogDir });
    runner.logger.info(`resumed epoch: ${meta.epoch}, iter: ${meta.iter}`);
  } finally {
    disposeCheckpoint(checkpoint);
  }
}

/**
 * The checkpoint auto-resume continues from: the one `last_checkpoint` names, or when that one
 * is missing or broken, the newest loadable one in `dir`.
 */
export async function findResumableCheckpoint(runner: Runner, dir: string): Promise<string | undefined> {
  const named = readLastCheckpoint(runner.workDir);
  const candidates: string[] = [];
  if (named) candidates.push(named);
  const fmts = allFormats();
  const extensions = fmts.flatMap((f) => f.extensions);
  for (const f of listCheckpoints(dir, extensions)) if (!candidates.includes(f)) candidates.push(f);
  for (const file of candidates) {
    if (!fs.existsSync(file)) {
      runner.logger.warn(`checkpoint ${file} named in last_checkpoint does not exist; looking for an older one`);
      continue;
    }
    const fmt = formatFor(file);
    let problem: string | undefined;
    try {
      if (fmt.verify && !(await fmt.verify(file))) problem = 'truncated or corrupted';
    } catch (e) {
      problem = (e as Error).message;
    }
    if (!problem) return file;
    runner.logger.warn(`checkpoint ${file} is broken (${problem}); trying the previous one`);
  }
  return undefined;
}

export { CheckpointError };
