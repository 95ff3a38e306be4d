import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  CheckpointError,
  type CheckpointFolderOwner,
  ConfigError,
  EpochBasedTrainLoop,
  Hook,
  type Metrics,
  type PriorityLike,
  type Runner,
  TrainkitError,
  getLogger,
  parseOptions,
} from '@trainkit/core';
import type { CheckpointMeta } from '@trainkit/core/checkpoint';
import { DEFAULT_GREATER_KEYS, DEFAULT_LESS_KEYS, INITIAL_BEST, type Rule, isBetter, resolveRules } from './best-rules.js';
import { type AfterWrite, CheckpointWriter, isInside } from './checkpoint-writer.js';
import { FilenameTemplate } from './filename-template.js';
import { removeStaleTempFiles } from './format/atomic-file.js';
import { DEFAULT_DOWNLOAD_LIMITS, type DownloadLimits, setDownloadLimits } from './format/download.js';
import { type CheckpointHookOptions, checkpointHookOptions } from './options.js';
import { publishCheckpoint } from './publish.js';

const EXTENSION = '.safetensors';
/** Extensions of PyTorch-world configs, mapped to ours so ported `filename_tmpl`s keep working. */
const FOREIGN_EXTENSION = /\.(pth|pt|ckpt|bin|pkl)$/;

/**
 * Saves checkpoints as MMEngine's CheckpointHook does (interval, max_keep_ckpts, save_last,
 * save_best with its naming and replacement, published copies, `last_checkpoint`), in
 * trainkit's safetensors format, and additionally: a resumable checkpoint when a run is stopped
 * or crashes (`save_on_interrupt`), and background writes (`async_save`).
 */
export class CheckpointHook extends Hook implements CheckpointFolderOwner {
  override priority: PriorityLike = 'VERY_LOW';
  /** Rank 0 alone writes (distributed runs). */
  override readonly mainProcessOnly = true;
  /** The folder checkpoints go to (`runner.checkpointDir`, which this hook declares), set from beforeRun on. */
  outDir: string | undefined;

  readonly interval: number;
  readonly byEpoch: boolean;
  readonly saveOptimizer: boolean;
  readonly saveParamScheduler: boolean;
  readonly maxKeepCkpts: number;
  readonly saveLast: boolean;
  readonly saveBegin: number;
  readonly saveOnInterrupt: boolean;
  readonly asyncSave: boolean;
  readonly filenameTmpl: FilenameTemplate;
  readonly publishedKeys: string[] | undefined;
  private readonly outDirOption: string | undefined;
  private readonly greaterKeys: string[];
  private readonly lessKeys: string[];
  private readonly ruleOption: Rule | Rule[] | undefined;
  /** The save_best keys; `['auto']` until the first evaluation names the metric. */
  private keyIndicators: string[];
  private rules: Rule[] | undefined;
  private keepCkptIds: number[] = [];
  private bestCkptPaths: Array<string | undefined> = [];
  /** The regular checkpoint saved last in this run (MMEngine re-saves it after a new best). */
  private lastCkpt: string | undefined;
  private readonly writer: CheckpointWriter;
  /** download_max_size / download_timeout: this process's limits while this hook's run goes on (loads follow beforeRun). */
  private readonly downloadLimits: DownloadLimits;
  /** `runner.iter` when the iteration in progress began (its state is inconsistent until it ends). */
  private iterStartedAt: number | undefined;
  /** The iteration whose full state is already in a checkpoint (or the run's starting point). */
  private resumableIter: number | undefined;

  constructor(options: CheckpointHookOptions = {}) {
    super();
    const o = parseOptions(checkpointHookOptions, options, '', 'CheckpointHook');
    this.interval = o.interval;
    this.byEpoch = o.by_epoch;
    this.saveOptimizer = o.save_optimizer;
    this.saveParamScheduler = o.save_param_scheduler;
    this.maxKeepCkpts = o.max_keep_ckpts;
    this.saveLast = o.save_last;
    this.saveBegin = o.save_begin;
    this.saveOnInterrupt = o.save_on_interrupt;
    this.asyncSave = o.async_save;
    this.outDirOption = o.out_dir ?? undefined;
    this.writer = new CheckpointWriter(o.async_save);
    this.downloadLimits = { maxSize: o.download_max_size, timeoutS: o.download_timeout };
    this.filenameTmpl = new FilenameTemplate(withOurExtension(o.filename_tmpl ?? (o.by_epoch ? 'epoch_{}' : 'iter_{}') + EXTENSION));

    if (o.file_client_args && o.backend_args) {
      throw new ConfigError('file_client_args and backend_args cannot be set together', {
        path: 'file_client_args',
        fix: 'remove file_client_args (deprecated)',
      });
    }
    if (o.file_client_args || o.backend_args)
      getLogger().warn('CheckpointHook: file_client_args / backend_args are ignored: trainkit writes checkpoints to the local file system');

    const best = asList(o.save_best) ?? [];
    if (new Set(best).size !== best.length) throw new ConfigError('save_best has duplicate keys', { path: 'save_best', found: best });
    if (best.includes('auto') && best.length > 1) {
      throw new ConfigError("save_best: 'auto' must be the only key", { path: 'save_best', found: best, fix: "use 'auto' alone or list the metric keys" });
    }
    this.keyIndicators = best;
    this.greaterKeys = asList(o.greater_keys) ?? DEFAULT_GREATER_KEYS;
    this.lessKeys = asList(o.less_keys) ?? DEFAULT_LESS_KEYS;
    this.ruleOption = o.rule ?? undefined;
    if (best.length && best[0] !== 'auto') this.rules = resolveRules(best, this.ruleOption, this.greaterKeys, this.lessKeys);
    else if (Array.isArray(this.ruleOption) && best.length) resolveRules(best, this.ruleOption, [], []); // checks the length for 'auto'

    this.publishedKeys = asList(o.published_keys);
    if (this.publishedKeys && new Set(this.publishedKeys).size !== this.publishedKeys.length) {
      throw new ConfigError('published_keys has duplicate keys', { path: 'published_keys', found: this.publishedKeys });
    }
  }

  /** MMEngine's rule: `out_dir/<work_dir name>`, or work_dir itself without out_dir. */
  checkpointFolder(workDir: string): string {
    const out = this.outDirOption ? path.resolve(this.outDirOption) : workDir;
    return out === workDir ? workDir : path.join(out, path.basename(workDir));
  }

  override beforeRun(runner: Runner): void {
    this.outDir = runner.checkpointDir;
    setDownloadLimits(this.downloadLimits);
  }

  override beforeTrain(runner: Runner): void {
    const outDir = this.outDir!;
    prepareOutDir(outDir);
    for (const dir of new Set([outDir, runner.workDir])) {
      const stale = removeStaleTempFiles(dir);
      if (stale.length) runner.logger.info(`Removed ${stale.length} unfinished file(s) that a killed run left in ${dir}`);
    }
    runner.logger.info(`Checkpoints will be saved to ${outDir}.`);
    const hub = runner.messageHub;
    if (this.keyIndicators.length === 1) this.bestCkptPaths = [this.fromHub(hub.getInfo<string>('best_ckpt'))];
    else this.bestCkptPaths = this.keyIndicators.map((k) => this.fromHub(hub.getInfo<string>(`best_ckpt_${k}`)));
    if (this.maxKeepCkpts > 0) {
      const ids = hub.getInfo<unknown>('keep_ckpt_ids');
      this.keepCkptIds = Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id) && id >= 0) : [];
      while (this.keepCkptIds.length > this.maxKeepCkpts) fs.rmSync(this.checkpointPath(this.keepCkptIds.shift()!), { recursive: true, force: true });
    }
    this.lastCkpt = undefined;
    this.resumableIter = runner.iter;
  }

  override beforeTrainIter(runner: Runner): void {
    this.iterStartedAt = runner.iter;
  }

  // a promise only when saving: the runner awaits nothing on the other iterations
  override afterTrainIter(runner: Runner): Promise<void> | undefined {
    if (this.byEpoch) return;
    if (this.everyNTrainIters(runner, this.interval, this.saveBegin) || (this.saveLast && this.isLastTrainIter(runner))) {
      runner.logger.info(`Saving checkpoint at ${runner.iter + 1} iterations`);
      return this.saveRegular(runner, runner.iter + 1, { epoch: runner.epoch, iter: runner.iter + 1 });
    }
  }

  override afterTrainEpoch(runner: Runner): Promise<void> | undefined {
    if (!this.byEpoch) return;
    if (this.everyNEpochs(runner, this.interval, this.saveBegin) || (this.saveLast && this.isLastTrainEpoch(runner))) {
      runner.logger.info(`Saving checkpoint at ${runner.epoch + 1} epochs`);
      return this.saveRegular(runner, runner.epoch + 1, { epoch: runner.epoch + 1, iter: runner.iter });
    }
  }

  override async afterValEpoch(runner: Runner, metrics: Metrics = {}): Promise<void> {
    // best checkpoints belong to training; a standalone runner.val() has no checkpoint folder
    if (!this.keyIndicators.length || !runner.hasTrainLoop || !this.outDir) return;
    if (Object.keys(metrics).length === 0) {
      runner.logger.warn('Since `metrics` is an empty dict, the behavior to save the best checkpoint will be skipped in this evaluation.');
      return;
    }
    await this.saveBestCheckpoints(runner, metrics);
  }

  override async afterTrain(runner: Runner): Promise<void> {
    await this.writer.drain();
    if (runner.stopRequested) {
      const by = runner.stopRequested === 'request' ? 'a stop request' : runner.stopRequested;
      if (this.saveOnInterrupt) await this.saveResumable(runner, `Training stopped by ${by}`);
      return; // unfinished training publishes nothing
    }
    if (!this.publishedKeys) return;
    const sources = [...(this.saveLast && this.lastCkpt ? [this.lastCkpt] : []), ...this.bestCkptPaths.filter((p): p is string => !!p)];
    for (const source of sources) if (isInside(source, this.outDir!) && fs.existsSync(source)) await publishCheckpoint(runner, source, this.publishedKeys);
  }

  override async afterRun(): Promise<void> {
    setDownloadLimits(DEFAULT_DOWNLOAD_LIMITS);
    await this.writer.drain();
  }

  override async onException(runner: Runner, error: unknown): Promise<void> {
    setDownloadLimits(DEFAULT_DOWNLOAD_LIMITS);
    try {
      await this.writer.drain();
    } catch (e) {
      runner.logger.error(`the checkpoint being written when the run failed is lost: ${(e as Error).message}`);
    }
    if (!this.saveOnInterrupt || !runner.trainLoop || !this.outDir || this.resumableIter === undefined) return;
    if (!this.isConsistent(runner)) {
      runner.logger.warn(
        'The run failed in the middle of an iteration (or of the end-of-epoch hooks), so the model, optimizer and counters may disagree: no checkpoint is saved. Resume from the last regular checkpoint.',
      );
      return;
    }
    await this.saveResumable(runner, `The run failed (${(error as Error)?.message?.split('\n')[0] ?? String(error)})`);
  }

  /**
   * Paths in the message hub (and so in checkpoints) are relative to out_dir: a checkpoint copied
   * or resumed elsewhere names files of the run that resumes it, never those of the run it came
   * from. Absolute paths from older checkpoints still resolve.
   */
  private toHub(file: string): string {
    return path.relative(this.outDir!, file);
  }

  private fromHub(stored: string | undefined): string | undefined {
    return typeof stored === 'string' && stored !== '' ? path.resolve(this.outDir!, stored) : undefined;
  }

  // ---- saving -----------------------------------------------------------------------------

  private checkpointPath(step: number): string {
    return path.join(this.outDir!, this.filenameTmpl.format(step));
  }

  /** A regular checkpoint `filename_tmpl(step)` with MMEngine's max_keep_ckpts rotation. */
  private async saveRegular(runner: Runner, step: number, meta: Partial<CheckpointMeta>): Promise<void> {
    const hub = runner.messageHub;
    const replaces: NonNullable<AfterWrite['replaces']> = [];
    // a best update may re-save the checkpoint of the same step: that one is not rotated again
    if (this.maxKeepCkpts > 0 && this.keepCkptIds.at(-1) !== step) {
      while (this.keepCkptIds.length >= this.maxKeepCkpts) replaces.push({ file: this.checkpointPath(this.keepCkptIds.shift()!) });
      this.keepCkptIds.push(step);
      hub.updateInfo('keep_ckpt_ids', [...this.keepCkptIds]);
    }
    const interrupted = this.fromHub(hub.popInfo<string>('interrupted_ckpt'));
    if (interrupted) replaces.push({ file: interrupted, log: `Removed ${interrupted}: a newer checkpoint supersedes it` });
    this.lastCkpt = this.checkpointPath(step);
    hub.updateInfo('last_ckpt', this.toHub(this.lastCkpt));
    const opts = { saveOptimizer: this.saveOptimizer, saveParamScheduler: this.saveParamScheduler, meta };
    await this.writer.save(runner, this.outDir!, path.basename(this.lastCkpt), opts, { updateLast: true, replaces });
    if (this.saveOptimizer && this.saveParamScheduler) this.resumableIter = meta.iter;
  }

  private async saveBestCheckpoints(runner: Runner, metrics: Metrics): Promise<void> {
    const hub = runner.messageHub;
    if (this.keyIndicators[0] === 'auto') {
      this.keyIndicators = [Object.keys(metrics)[0]];
      this.rules = resolveRules(this.keyIndicators, this.ruleOption, this.greaterKeys, this.lessKeys);
    }
    const single = this.keyIndicators.length === 1;
    const count = this.byEpoch ? runner.epoch : runner.iter;
    const unit = this.byEpoch ? 'epoch' : 'iter';
    const regularName = this.filenameTmpl.format(count);
    let updated = false;
    for (const [i, key] of this.keyIndicators.entries()) {
      if (!(key in metrics)) {
        throw new TrainkitError(
          `save_best key "${key}" is not among the metrics of this evaluation (${Object.keys(metrics).join(', ')}); set save_best to one of them`,
        );
      }
      const score = await toScore(metrics[key]);
      if (score === undefined) continue;
      if (!Number.isFinite(score)) {
        runner.logger.warn(`save_best: ${key} is ${score} at ${count} ${unit}, so this checkpoint is not considered for the best one`);
        continue;
      }
      const rule = this.rules![i];
      const scoreKey = single ? 'best_score' : `best_score_${key}`;
      const stored = hub.runtimeInfo.has(scoreKey) ? Number(hub.getInfo(scoreKey)) : Number.NaN;
      // a NaN best (from an older checkpoint) would make every later score look worse
      const best = Number.isNaN(stored) ? INITIAL_BEST[rule] : stored;
      if (!isBetter(rule, score, best)) continue;
      updated = true;
      hub.updateInfo(scoreKey, score);
      const previous = this.bestCkptPaths[i];
      const name = `best_${key}_${regularName}`.replaceAll('/', '_');
      const file = path.join(this.outDir!, name);
      this.bestCkptPaths[i] = file;
      hub.updateInfo(single ? 'best_ckpt' : `best_ckpt_${key}`, this.toHub(file));
      const replaces = previous ? [{ file: previous, log: `The previous best checkpoint ${previous} is removed` }] : [];
      const opts = { saveOptimizer: false, saveParamScheduler: false, meta: { epoch: runner.epoch, iter: runner.iter } };
      await this.writer.save(runner, this.outDir!, name, opts, { replaces });
      runner.logger.info(`The best checkpoint with ${score.toFixed(4)} ${key} at ${count} ${unit} is saved to ${name}.`);
    }
    // the regular checkpoint saved before this evaluation holds the old best in its message
    // hub; re-save it so that resuming from it knows (and later removes) the new best file
    if (updated && this.lastCkpt) await this.saveRegular(runner, count, { epoch: runner.epoch, iter: runner.iter });
  }

  /** A checkpoint of the current (possibly mid-epoch) state, which auto-resume continues from. */
  private async saveResumable(runner: Runner, why: string): Promise<void> {
    const iter = runner.iter;
    if (iter === this.resumableIter) {
      runner.logger.info(`${why}; the state at iteration ${iter} is already in a checkpoint`);
      return;
    }
    const hub = runner.messageHub;
    const file = path.join(this.outDir!, `interrupted_iter_${iter}${EXTENSION}`);
    const previous = this.fromHub(hub.getInfo<string>('interrupted_ckpt'));
    hub.updateInfo('interrupted_ckpt', this.toHub(file));
    runner.logger.warn(`${why}: saving a resumable checkpoint at epoch ${runner.epoch}, iteration ${iter}`);
    const opts = { saveOptimizer: true, saveParamScheduler: true, meta: { epoch: runner.epoch, iter } };
    await this.writer.save(runner, this.outDir!, path.basename(file), opts, { updateLast: true, replaces: previous ? [{ file: previous }] : [] });
    await this.writer.drain();
    this.resumableIter = iter;
    runner.logger.warn(`Saved ${file}; run again with resume=True (trainkit train --resume) to continue from it`);
  }

  /**
   * Whether the training state can be saved after a failure: not inside an iteration (weights
   * may be updated while the counter is not), nor between the last batch of an epoch and the
   * epoch counter moving on (end-of-epoch hooks such as schedulers may have run partly).
   */
  private isConsistent(runner: Runner): boolean {
    if (this.iterStartedAt === runner.iter) return false;
    const loop = runner.trainLoop;
    if (loop instanceof EpochBasedTrainLoop && runner.iter === (runner.epoch + 1) * loop.dataloader.length) return false;
    return true;
  }
}

function asList(v: string | string[] | null | undefined): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? [v] : [...v];
}

function withOurExtension(template: string): string {
  if (!FOREIGN_EXTENSION.test(template)) return template;
  const fixed = template.replace(FOREIGN_EXTENSION, EXTENSION);
  getLogger().warn(`CheckpointHook: filename_tmpl "${template}" names a PyTorch file; trainkit writes safetensors, so checkpoints are named "${fixed}"`);
  return fixed;
}

async function toScore(v: unknown): Promise<number | undefined> {
  if (v === null || v === undefined) return undefined;
  if (v instanceof tf.Tensor) return (await v.data())[0];
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  return Number(v);
}

/** Creates out_dir up front, so a bad folder fails before training rather than at the first save. */
function prepareOutDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way of the folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'it is not writable'
          : (e as Error).message;
    throw new CheckpointError(
      `cannot save checkpoints to ${dir}: ${why} (${code ?? 'error'}). Set out_dir (default_hooks.checkpoint.out_dir) to a writable folder`,
    );
  }
}
