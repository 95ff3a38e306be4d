import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Config } from '../config/config.js';
import type { ConfigObject } from '../config/merge.js';
import type { DataLoader } from '../data/dataloader.js';
import { backendMemoryMB } from '../env/backend.js';
import { ConfigError, RunInterruptedError, TrainkitError, fileSystemError } from '../errors.js';
import type { Hook, Mode } from '../hooks/hook.js';
import type { HookPoint } from '../hooks/hook-points.js';
import type { PriorityLike } from '../hooks/priority.js';
import { HookPlan } from '../hooks/hook-plan.js';
import { type LogContext, LogProcessor } from '../logging/log-processor.js';
import { Logger, checkLevel, setCurrentLogger } from '../logging/logger.js';
import type { TrainLoop } from '../loops/train-loop.js';
import type { ValLoop, TestLoop } from '../loops/eval-loop.js';
import { MessageHub } from '../message-hub/message-hub.js';
import type { BaseModel } from '../model/base-model.js';
import { type DataPreprocessorOptions, checkPreprocessorValues } from '../model/data-preprocessor.js';
import type { OptimWrapperLike, ParamSchedulerLike } from '../optim/types.js';
import { setupRandomness } from '../randomness/seed.js';
import { applyDeterministic } from '../randomness/deterministic.js';
import { reportInertEnvOptions } from '../env/inert-options.js';
import { setDefaultScope } from '../registry/default-scope.js';
import { LOG_PROCESSORS, LOOPS, MODELS, VISUALIZERS } from '../registry/root.js';
import { Visualizer } from '../visualizer/visualizer.js';
import type { RunStatus } from '../visualizer/vis-backend.js';
import { buildDataLoader } from './build-dataloader.js';
import { buildEvaluator } from './build-evaluator.js';
import { buildHook, hookEntries, sortHooks } from './build-hooks.js';
import { buildOptimWrapper, buildParamSchedulers, scaleLr } from './build-optim.js';
import {
  type PendingCheckpointSave,
  type SaveOptions,
  findResumableCheckpoint,
  loadCheckpoint,
  loadPretrained,
  resumeFrom,
  saveCheckpoint,
  startSaveCheckpoint,
} from './checkpointing.js';
import { disposeCheckpoint } from '../checkpoint/checkpoint.js';
import { installStopHandlers } from './signals.js';
import { VERSIONS } from './versions.js';
import { type RunDist, connectRunDist, setupRunDist, sharedDefaultSeed, startDataParallel, wrapForDist } from '../dist/run-dist.js';
import { isMainProcess } from '../dist/state.js';
import { LossGuard, NonFiniteLossError } from './loss-guard.js';
import { checkResumeConfig } from './resume-config.js';
import { removeFailedRunFolder, timestampNow, uniqueLogDir } from './run-folder.js';
import { shownPath, trainSummary } from './run-summary.js';
import { assertValidConfig } from '../config/validate.js';
import { ensureDir } from '../utils/ensure-dir.js';

export interface RunnerOptions {
  /** Install SIGINT/SIGTERM handlers during train() (the CLI does; tests usually do not). */
  handleSignals?: boolean;
  /** The backend the run uses (set by `Runner.fromConfig` after selecting it). */
  backend?: string;
  /**
   * Whether `env_cfg.detect_tensor_leaks` defaults to on (the CLI turns it on; a config's own
   * value always wins). Off by default for code-first runners, on under vitest.
   */
  detectTensorLeaks?: boolean;
}

/**
 * Executes an experiment described by a config: builds the model, data, loops, optimizer and
 * hooks (each through its registry), then trains, validates or tests. Building is delegated to
 * small builders; the runner owns the state hooks read (`epoch`, `iter`, `messageHub`, ...).
 */
export class Runner implements LogContext {
  readonly cfg: Config;
  readonly workDir: string;
  readonly timestamp: string;
  readonly logDir: string;
  readonly experimentName: string;
  readonly logger: Logger;
  readonly messageHub: MessageHub;
  readonly logProcessor: LogProcessor;
  readonly visualizer: Visualizer;
  readonly model: BaseModel;
  readonly hooks: Hook[];
  readonly versions = VERSIONS;
  readonly backend: string;
  seed: number;
  readonly seedConfigured: boolean;
  trainLoop: TrainLoop | undefined;
  valLoop: ValLoop | undefined;
  testLoop: TestLoop | undefined;
  optimWrapper: OptimWrapperLike | undefined;
  paramSchedulers: ParamSchedulerLike[] | Record<string, ParamSchedulerLike[]> | undefined;
  /** The run folder the current chain of resumes started in (this run's own unless resumed). */
  chainLogDir: string;
  /** How the current (or last) run ended so far: what backends are told when they close. */
  get runStatus(): RunStatus {
    if (this.failure !== undefined) return { exitCode: 1, error: String((this.failure as Error)?.message ?? this.failure) };
    if (this.stopRequested === 'SIGINT') return { exitCode: 130 };
    if (this.stopRequested === 'SIGTERM') return { exitCode: 143 };
    return { exitCode: 0 };
  }
  private failure: unknown;
  /** Set when a stop was requested (signal or `requestStop`); loops end after the current iteration. */
  stopRequested: NodeJS.Signals | 'request' | 'max_time' | undefined;
  private plan: HookPlan;
  private loaded = false;
  private readonly leakGuard: boolean;
  private readonly handleSignals: boolean;
  private readonly restoreScope: () => void;
  private readonly data: ConfigObject;
  /** The distributed run's settings (undefined in one process). */
  private readonly dist: RunDist | undefined;
  /** The seed samplers use: the same on every rank even with `diff_rank_seed`. */
  private readonly samplerSeed: number;

  constructor(config: Config | ConfigObject, opts: RunnerOptions = {}) {
    this.cfg = config instanceof Config ? config : Config.fromObject(config);
    const c = this.cfg.data;
    this.data = c;
    this.handleSignals = opts.handleSignals ?? false;
    this.backend = opts.backend ?? tf.getBackend();
    assertValidConfig(c, { variables: this.cfg.variables, cfgOptionKeys: this.cfg.cfgOptionKeys });
    checkTriplet(c, 'train', ['train_dataloader', 'train_cfg', 'optim_wrapper']);
    checkTriplet(c, 'val', ['val_dataloader', 'val_cfg', 'val_evaluator']);
    checkTriplet(c, 'test', ['test_dataloader', 'test_cfg', 'test_evaluator']);
    if (c.param_scheduler != null && c.optim_wrapper == null) {
      throw new ConfigError('param_scheduler needs an optim_wrapper', {
        path: 'param_scheduler',
        fix: 'add optim_wrapper (with train_dataloader and train_cfg), or remove param_scheduler',
      });
    }
    if (typeof c.work_dir !== 'string' || c.work_dir === '') {
      throw new ConfigError('work_dir is required', { path: 'work_dir', found: c.work_dir, fix: "set work_dir: './work_dirs/<name>' or pass --work-dir" });
    }
    this.workDir = path.resolve(c.work_dir);
    // the rank first: only rank 0 creates the run folder and writes logs
    this.dist = setupRunDist(c);
    const main = isMainProcess();
    const workDirExisted = fs.existsSync(this.workDir);
    if (main) {
      try {
        ensureDir(this.workDir);
      } catch (e) {
        throw fileSystemError(e, 'cannot create work_dir', this.workDir);
      }
    }

    this.timestamp = timestampNow();
    try {
      this.logDir = main ? uniqueLogDir(this.workDir, this.timestamp) : path.join(this.workDir, this.timestamp);
    } catch (e) {
      throw fileSystemError(e, 'cannot create the run folder in work_dir', this.workDir);
    }
    this.chainLogDir = this.logDir;
    try {
      const base =
        typeof c.experiment_name === 'string'
          ? c.experiment_name
          : this.cfg.filename
            ? path.basename(this.cfg.filename, path.extname(this.cfg.filename))
            : undefined;
      this.experimentName = base ? `${base}_${path.basename(this.logDir)}` : path.basename(this.logDir);
      this.restoreScope = setDefaultScope(typeof c.default_scope === 'string' ? c.default_scope : undefined);

      // other ranks report errors only (MMEngine's MMLogger does the same)
      this.logger = new Logger('trainkit', main ? checkLevel((c.log_level as string) ?? 'INFO') : 'ERROR');
      if (main) this.logger.attachFile(path.join(this.logDir, `${path.basename(this.logDir)}.log`));
      setCurrentLogger(this.logger);
      checkResumeConfig(c);
      const randomness = (c.randomness ?? {}) as { seed?: number | null; diff_rank_seed?: boolean; deterministic?: unknown };
      this.seedConfigured = randomness.seed !== undefined && randomness.seed !== null;
      const shared = this.dist && !this.seedConfigured ? { ...randomness, seed: sharedDefaultSeed(this.dist.info) } : randomness;
      this.samplerSeed = setupRandomness(shared as { seed?: number | null });
      // diff_rank_seed: each rank its own global seed (dropout, augmentation), samplers still agree
      this.seed =
        this.dist && randomness.diff_rank_seed
          ? setupRandomness({ ...shared, seed: this.samplerSeed + this.dist.info.rank } as { seed?: number | null })
          : this.samplerSeed;
      applyDeterministic(randomness.deterministic, this.backend);
      reportInertEnvOptions((c.env_cfg ?? {}) as Record<string, unknown>);
      this.logProcessor = buildLogProcessor(c.log_processor);
      this.logger.detail(environmentBlock(this));
      this.logger.info(environmentLine(this));
      this.logger.detail(`Config:\n${this.cfg.dump()}`);
      this.messageHub = new MessageHub(this.experimentName);
      this.messageHub.deferReads = !['cpu', 'wasm', 'tensorflow'].includes(this.backend);
      this.visualizer = buildVisualizer(main ? c.visualizer : { ...((c.visualizer ?? {}) as object), vis_backends: [] }, this.experimentName, this.logDir);

      this.model = wrapForDist(buildModel(c.model, c.data_preprocessor), this.dist);
      const envCfg = (c.env_cfg ?? {}) as { detect_tensor_leaks?: boolean };
      this.leakGuard = envCfg.detect_tensor_leaks ?? opts.detectTensorLeaks ?? Boolean(process.env.VITEST);
      this.hooks = sortHooks(
        hookEntries(c.default_hooks, c.custom_hooks)
          .map(buildHook)
          .filter((h): h is Hook => h !== undefined),
      );
      this.plan = new HookPlan(this.plannedHooks());
      this.logger.detail(`Hooks will be executed in the following order:\n${this.plan.describe()}`);
      if (main) this.dumpConfig();
    } catch (e) {
      // a run that could not even start leaves no empty timestamped folder behind (rank 0 made it)
      const self = this as unknown as { logger?: Logger; restoreScope?: () => void };
      self.logger?.closeFile();
      self.restoreScope?.();
      if (main) removeFailedRunFolder(this.logDir, workDirExisted ? undefined : this.workDir);
      throw e;
    }
  }

  // ---- state hooks read -----------------------------------------------------------------

  get epoch(): number {
    return this.trainLoop?.epoch ?? 0;
  }
  get iter(): number {
    return this.trainLoop?.iter ?? 0;
  }
  get maxEpochs(): number {
    return this.trainLoop?.maxEpochs ?? 0;
  }
  get maxIters(): number {
    return this.trainLoop?.maxIters ?? 0;
  }
  get hasTrainLoop(): boolean {
    return this.trainLoop !== undefined;
  }
  get trainDataloader(): DataLoader | undefined {
    return this.trainLoop?.dataloader;
  }
  get valDataloader(): DataLoader | undefined {
    return this.valLoop?.dataloader;
  }
  get testDataloader(): DataLoader | undefined {
    return this.testLoop?.dataloader;
  }

  dataloaderLength(mode: Mode): number {
    const dl = mode === 'train' ? this.trainDataloader : mode === 'val' ? this.valDataloader : this.testDataloader;
    return dl?.length ?? 0;
  }

  memoryMB(): number | undefined {
    return backendMemoryMB();
  }

  /**
   * Adds a hook after construction (MMEngine's `register_hook`): it is slotted in by priority
   * (after hooks of equal priority) and the plan is rebuilt.
   */
  registerHook(hook: Hook, priority?: PriorityLike): void {
    if (priority !== undefined) hook.priority = priority;
    this.hooks.push(hook);
    const sorted = sortHooks(this.hooks);
    this.hooks.splice(0, this.hooks.length, ...sorted);
    this.plan = new HookPlan(this.plannedHooks());
  }

  /** The hooks that run in this process: other ranks skip those that write (logs, checkpoints). */
  private plannedHooks(): Hook[] {
    return isMainProcess() ? this.hooks : this.hooks.filter((h) => !h.mainProcessOnly);
  }

  /** The hooks in the order they run at `point`. */
  hooksAt(point: HookPoint): Hook[] {
    return this.plan.get(point).map((c) => c.hook);
  }

  /**
   * Asks the loops to stop after the current iteration (as Ctrl-C does). While a distributed run
   * trains, the request is a vote carried by the next gradient all-reduce, so every rank stops
   * after the same step.
   */
  requestStop(reason: NodeJS.Signals | 'request' | 'max_time' = 'request'): void {
    if (this.dataParallel) this.stopVote ??= reason;
    else this.stopRequested ??= reason;
  }
  private dataParallel = false;
  private stopVote: NodeJS.Signals | 'request' | 'max_time' | undefined;

  // ---- hooks ----------------------------------------------------------------------------

  /**
   * Calls `point` on every hook that implements it, in plan order. Returns a promise only when a
   * hook returned one, so synchronous hooks cost no await on the hot path.
   */
  callHook(point: HookPoint, a?: unknown, b?: unknown, c?: unknown): void | Promise<void> {
    const calls = this.plan.get(point);
    for (let i = 0; i < calls.length; i++) {
      const { hook, call } = calls[i];
      const before = this.leakGuard ? this.liveTensors() : 0;
      let r: unknown;
      try {
        r = call(hook, this, a, b, c);
      } catch (e) {
        throw annotate(e, hook, point);
      }
      if (r instanceof Promise) return this.finishAsync(r, calls, i, point, before, a, b, c);
      if (this.leakGuard) this.checkLeak(before, hook, point);
    }
  }

  private async finishAsync(
    pending: Promise<unknown>,
    calls: ReturnType<HookPlan['get']>,
    i: number,
    point: HookPoint,
    before: number,
    a: unknown,
    b: unknown,
    c: unknown,
  ): Promise<void> {
    try {
      await pending;
    } catch (e) {
      throw annotate(e, calls[i].hook, point);
    }
    if (this.leakGuard) this.checkLeak(before, calls[i].hook, point);
    for (let j = i + 1; j < calls.length; j++) {
      const { hook, call } = calls[j];
      const start = this.leakGuard ? this.liveTensors() : 0;
      try {
        await call(hook, this, a, b, c);
      } catch (e) {
        throw annotate(e, hook, point);
      }
      if (this.leakGuard) this.checkLeak(start, hook, point);
    }
  }

  private liveTensors(): number {
    let held = this.messageHub.heldTensors;
    for (const h of this.hooks) held += h.heldTensors?.() ?? 0;
    return tf.engine().state.numTensors - held;
  }

  private checkLeak(before: number, hook: Hook, point: HookPoint): void {
    const after = this.liveTensors();
    if (after > before) {
      throw new TrainkitError(
        `tensor leak: ${hook.displayName}.${point} left ${after - before} tensor(s) alive; wrap its tensor work in tf.tidy or dispose what it creates (set env_cfg.detect_tensor_leaks: false to turn this check off)`,
      );
    }
  }

  // ---- building (lazy, as MMEngine does in train/val/test) --------------------------------

  private buildTrainLoop(): TrainLoop {
    if (this.trainLoop) return this.trainLoop;
    const cfg = this.data.train_cfg as Record<string, unknown> | undefined;
    if (!cfg) throw new ConfigError('runner.train() needs train_dataloader, train_cfg and optim_wrapper', { path: 'train_cfg', fix: 'add them to the config' });
    const dataloader = buildDataLoader(this.data.train_dataloader, 'train_dataloader', this.samplerSeed, true);
    const { type, by_epoch, ...rest } = cfg;
    const loopType = (type as string | undefined) ?? (by_epoch === false || 'max_iters' in cfg ? 'IterBasedTrainLoop' : 'EpochBasedTrainLoop');
    this.trainLoop = LOOPS.build<TrainLoop>({ type: loopType, ...rest }, { runner: this, dataloader }, 'train_cfg');
    this.visualizer.datasetMeta = dataloader.dataset.metainfo;
    return this.trainLoop;
  }

  private buildEvalLoop<L>(mode: 'val' | 'test'): L | undefined {
    const cfg = this.data[`${mode}_cfg`] as Record<string, unknown> | undefined | null;
    if (!cfg) return undefined;
    const dataloader = buildDataLoader(this.data[`${mode}_dataloader`], `${mode}_dataloader`, this.samplerSeed, false);
    const evaluator = buildEvaluator(this.data[`${mode}_evaluator`], `${mode}_evaluator`);
    return LOOPS.build<L>({ type: mode === 'val' ? 'ValLoop' : 'TestLoop', ...cfg }, { runner: this, dataloader, evaluator }, `${mode}_cfg`);
  }

  // ---- load / resume --------------------------------------------------------------------

  /** MMEngine's load/resume table: resume (+load_from), auto-resume, weights-only load. */
  async loadOrResume(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const resume = this.data.resume;
    let loadFrom = this.data.load_from as string | null | undefined;
    // 'auto' is MMEngine's tools/train.py `--resume` value: the latest checkpoint in work_dir
    if (typeof resume === 'string' && resume !== 'auto') loadFrom = resume;
    if (resume && !loadFrom) {
      const latest = await findResumableCheckpoint(this, this.checkpointDir());
      this.logger.info(`Auto resumed from the latest checkpoint ${latest ?? 'None'}.`);
      if (!latest) {
        this.logger.info('Did not find last_checkpoint to be resumed.');
        return;
      }
      loadFrom = latest;
    }
    if (!loadFrom) return;
    if (resume) await resumeFrom(this, loadFrom);
    else disposeCheckpoint(await loadCheckpoint(this, loadFrom));
  }

  /** Where checkpoints of this run go (the checkpoint hook may say otherwise). */
  checkpointDir(): string {
    // the checkpoint hook's folder, whatever other hooks call their own out_dir (a logger's is not it)
    const hook = this.hooks.find((h) => h.displayName === 'CheckpointHook') as { outDir?: unknown } | undefined;
    return typeof hook?.outDir === 'string' ? hook.outDir : this.workDir;
  }

  async saveCheckpoint(outDir: string, filename: string, opts: SaveOptions = {}): Promise<string> {
    return saveCheckpoint(this, outDir, filename, opts);
  }

  /** Snapshots a checkpoint and starts writing it; await `written` before relying on the file. */
  startSaveCheckpoint(outDir: string, filename: string, opts: SaveOptions = {}): Promise<PendingCheckpointSave> {
    return startSaveCheckpoint(this, outDir, filename, opts);
  }

  // ---- entry points ---------------------------------------------------------------------

  async train(): Promise<BaseModel> {
    const loop = this.buildTrainLoop();
    this.optimWrapper = buildOptimWrapper(this.model, this.data.optim_wrapper);
    // the real batch: every rank's (MMEngine: batch_size x world size)
    scaleLr(this.optimWrapper, this.data.auto_scale_lr, loop.dataloader.batchSize * (this.dist?.info.worldSize ?? 1));
    if (this.data.param_scheduler != null) {
      this.paramSchedulers = buildParamSchedulers(this.data.param_scheduler, this.optimWrapper, {
        maxEpochs: loop.maxEpochs,
        maxIters: loop.maxIters,
        epochLength: loop.dataloader.length,
        hasTrainLoop: true,
      });
    }
    this.valLoop = this.buildEvalLoop<ValLoop>('val');
    const guard = new LossGuard(
      LossGuard.options((this.data.env_cfg ?? {}) as Record<string, unknown>, this.optimWrapper.skipsNonFiniteSteps === true),
      this.logger,
    );
    this.messageHub.watcher = (key, value, iter) => guard.check(key, value, iter);
    const started = performance.now();
    const summarize = () => this.logger.info(trainSummary(this, performance.now() - started, this.stopRequested));
    await this.run(async () => {
      this.model.initWeights();
      await loadPretrained(this);
      await this.loadOrResume();
      this.optimWrapper?.initializeCountStatus(this.model, loop.iter, loop.maxIters);
      const stopDataParallel = this.dist
        ? await startDataParallel(this.dist, this.model, {
            requested: () => this.stopVote !== undefined,
            request: () => void (this.stopRequested ??= this.stopVote ?? 'request'),
          })
        : undefined;
      this.dataParallel = stopDataParallel !== undefined;
      try {
        await loop.run();
      } finally {
        this.dataParallel = false;
        stopDataParallel?.();
      }
    }).catch((e) => {
      if (e instanceof RunInterruptedError) summarize();
      throw e;
    });
    summarize();
    return this.model;
  }

  async val(): Promise<Record<string, unknown>> {
    this.valLoop ??= this.buildEvalLoop<ValLoop>('val');
    if (!this.valLoop) throw new ConfigError('runner.val() needs val_dataloader, val_cfg and val_evaluator', { path: 'val_cfg' });
    let metrics: Record<string, unknown> = {};
    await this.run(async () => {
      await this.loadOrResume();
      metrics = await this.valLoop!.run();
    });
    return metrics;
  }

  async test(): Promise<Record<string, unknown>> {
    this.testLoop ??= this.buildEvalLoop<TestLoop>('test');
    if (!this.testLoop) throw new ConfigError('runner.test() needs test_dataloader, test_cfg and test_evaluator', { path: 'test_cfg' });
    let metrics: Record<string, unknown> = {};
    await this.run(async () => {
      await this.loadOrResume();
      metrics = await this.testLoop!.run();
    });
    return metrics;
  }

  /** beforeRun, the body, afterRun; onException on failure; stop handling around it all. */
  private async run(body: () => Promise<void>): Promise<void> {
    const uninstall = this.handleSignals
      ? installStopHandlers(
          (s) => this.requestStop(s),
          (m) => this.logger.warn(m),
        )
      : () => {};
    this.failure = undefined;
    let lastRead: unknown;
    try {
      if (this.dist) await connectRunDist(this.dist);
      await this.startVisualizer();
      await this.callHook('beforeRun');
      await body();
      await this.callHook('afterRun');
    } catch (caught) {
      const error = fileSystemError(caught);
      this.failure = error;
      this.logFailure(error);
      try {
        await this.callHook('onException', error);
      } catch (hookError) {
        // the first error is the one the user needs; this one only goes to the log
        this.logger.error(`a hook failed while handling the error: ${(hookError as Error)?.message ?? String(hookError)}`);
      }
      throw error;
    } finally {
      uninstall();
      // values still on the device reach the hub (and a later checkpoint); a failed read must not hide the run's own error
      await this.messageHub.settle().catch((e) => {
        lastRead = e;
        if (this.failure !== undefined || !(e instanceof NonFiniteLossError)) {
          this.logger.warn(`could not read the last logged values: ${(e as Error)?.message ?? String(e)}`);
        }
      });
    }
    // on deferred backends the last losses are checked here: a non-finite one fails a run that had not failed yet
    if (lastRead instanceof NonFiniteLossError) {
      this.failure = lastRead;
      this.logFailure(lastRead);
      throw lastRead;
    }
    if (this.stopRequested && this.stopRequested !== 'request' && this.stopRequested !== 'max_time') throw new RunInterruptedError(this.stopRequested);
  }

  /** Vis backends start before the first hook (a refused W&B key fails here), then get the config, once. */
  private async startVisualizer(): Promise<void> {
    const first = !this.visualizerStarted;
    this.visualizerStarted = true;
    await this.visualizer.start();
    if (first) this.visualizer.addConfig(this.data, this.cfg.dump());
  }
  private visualizerStarted = false;

  /**
   * The failure in the log: one line on the terminal is the caller's to print (the CLI does),
   * so the message and stack go to the log file, and to the terminal too at log_level DEBUG.
   */
  private logFailure(error: unknown): void {
    const message = (error as Error)?.message ?? String(error);
    const stack = (error as Error)?.stack ?? message;
    if (this.logger.isEnabledFor('DEBUG')) this.logger.error(`run failed: ${stack}`);
    else this.logger.toFile('ERROR', `run failed: ${error instanceof TrainkitError ? message : stack}`);
    if (error instanceof TrainkitError && !this.logger.isEnabledFor('DEBUG')) this.logger.toFile('DEBUG', stack);
    if (error instanceof Error && this.logger.file) (error as { logFile?: string }).logFile = this.logger.file;
  }

  /** Releases tensors, files and the default scope; every step runs, the first failure is thrown after. */
  async dispose(): Promise<void> {
    const steps: Array<() => unknown> = [
      () => this.visualizer.close(),
      () => this.optimWrapper?.dispose?.(),
      ...this.hooks.map((h) => () => h.dispose?.()),
      () => this.messageHub.dispose(),
      () => this.model.dispose(),
      () => this.logger.closeFile(),
      () => this.restoreScope(),
    ];
    let first: unknown;
    for (const step of steps) {
      try {
        await step();
      } catch (e) {
        first ??= fileSystemError(e);
      }
    }
    if (first !== undefined) throw first;
  }

  private dumpConfig(): void {
    const name = this.cfg.filename ? path.basename(this.cfg.filename, path.extname(this.cfg.filename)) : path.basename(this.logDir);
    const file = path.join(this.workDir, `${name}.json`);
    try {
      fs.writeFileSync(file, this.cfg.dump());
    } catch (e) {
      throw fileSystemError(e, 'cannot write the config dump', file);
    }
  }
}

function annotate(e: unknown, hook: Hook, point: HookPoint): unknown {
  // a loss the hub found non-finite is about the training step, not the hook that logged it
  if (e instanceof NonFiniteLossError) return e;
  e = fileSystemError(e);
  if (e instanceof Error && !(e as { hookAnnotated?: boolean }).hookAnnotated) {
    e.message = `${e.message}\n  (in ${hook.displayName}.${point})`;
    (e as { hookAnnotated?: boolean }).hookAnnotated = true;
  }
  return e;
}

export function checkTriplet(c: ConfigObject, what: string, keys: string[]): void {
  const set = keys.filter((k) => c[k] !== undefined && c[k] !== null);
  if (set.length !== 0 && set.length !== keys.length) {
    const missing = keys.filter((k) => !set.includes(k));
    throw new ConfigError(`${keys.join(', ')} should be either all set or all unset to ${what}`, {
      path: missing[0],
      fix: `add ${missing.join(' and ')}, or remove ${set.join(' and ')}`,
    });
  }
}

/** `model` as a config (built through MODELS) or a model built in code (MMEngine's Runner takes both). */
export function buildModel(model: unknown, preprocessor: unknown): BaseModel {
  const m = model as Partial<BaseModel> | undefined;
  if (typeof m?.forward === 'function' && typeof m.trainStep === 'function') {
    if (preprocessor !== undefined && preprocessor !== null) {
      throw new ConfigError('data_preprocessor cannot be applied to a model that is already built', {
        path: 'data_preprocessor',
        fix: 'pass data_preprocessor to the model constructor instead, or give model as a config',
      });
    }
    return m as BaseModel;
  }
  return MODELS.build<BaseModel>(withPreprocessor(model, preprocessor), {}, 'model');
}

function withPreprocessor(model: unknown, preprocessor: unknown): unknown {
  if (preprocessor === undefined || !model || typeof model !== 'object') return model;
  const m = model as Record<string, unknown>;
  if (m.data_preprocessor !== undefined) return m;
  // checked here so that errors name the key the user wrote
  if (preprocessor && typeof preprocessor === 'object') checkPreprocessorValues(preprocessor as DataPreprocessorOptions, 'data_preprocessor');
  return { ...m, data_preprocessor: preprocessor };
}

function buildLogProcessor(cfg: unknown): LogProcessor {
  if (cfg instanceof LogProcessor) return cfg;
  const c = (cfg ?? {}) as Record<string, unknown>;
  return LOG_PROCESSORS.build<LogProcessor>({ type: 'LogProcessor', ...c }, {}, 'log_processor');
}

function buildVisualizer(cfg: unknown, name: string, logDir: string): Visualizer {
  if (cfg instanceof Visualizer) return cfg;
  const c = (cfg ?? { vis_backends: [{ type: 'LocalVisBackend' }] }) as Record<string, unknown>;
  return VISUALIZERS.build<Visualizer>({ type: 'Visualizer', name, ...c }, { save_dir: logDir }, 'visualizer');
}

/** The environment in one console line; the block above goes to the text log. */
function environmentLine(runner: Runner): string {
  const v = runner.versions;
  return `trainkit ${v.trainkit}, TensorFlow.js ${v.tfjs} (${runner.backend} backend), Node.js ${process.versions.node}, seed ${runner.seed}; log: ${shownPath(runner.logger.file ?? runner.logDir)}`;
}

function environmentBlock(runner: Runner): string {
  const lines = [
    '',
    '------------------------------------------------------------',
    'System environment:',
    `    platform: ${process.platform} ${process.arch}`,
    `    Node.js: ${process.versions.node}`,
    `    seed: ${runner.seed}`,
    `    tfjs backend: ${runner.backend}`,
    'Runtime environment:',
    `    trainkit: ${runner.versions.trainkit}`,
    `    TensorFlow.js: ${runner.versions.tfjs}`,
    `    work_dir: ${runner.workDir}`,
    '------------------------------------------------------------',
  ];
  return lines.join('\n');
}
