import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hook, IterBasedTrainLoop, type Metrics, type Runner } from '@trainkit/core';
import { teeConsole } from './console-tee.js';
import { HistogramRecorder } from './histograms.js';
import { intervalWarning } from './interval-check.js';
import { jsonTags } from './json-tags.js';
import { type LoggerHookOptions, parseLoggerHookOptions } from './options.js';
import { ProgressDisplay, type ProgressStream, isInteractive } from './progress.js';
import { uploadLogs } from './upload.js';

type Scalars = Record<string, number>;

function isIterBased(runner: Runner): boolean {
  return runner.trainLoop instanceof IterBasedTrainLoop;
}

/**
 * Writes the run's log lines (terminal and `<timestamp>.log` through the shared logger), sends
 * the smoothed scalars of each logged train iteration and each validation to the visualizer
 * (`vis_data/<timestamp>.json` and `scalars.json` with LocalVisBackend), writes the test results
 * to `<timestamp>.json`, draws a progress bar on a terminal, and copies the logs to `out_dir`
 * at the end. MMEngine's LoggerHook, with the same options and lines.
 */
export class LoggerHook extends Hook {
  override priority = 'BELOW_NORMAL' as const;
  /** Rank 0 alone writes (distributed runs). */
  override readonly mainProcessOnly = true;
  readonly interval: number;
  readonly ignoreLast: boolean;
  readonly intervalExpName: number;
  readonly outDir: string | undefined;
  readonly outSuffix: string[];
  readonly keepLocal: boolean;
  readonly logMetricByEpoch: boolean | undefined;
  readonly progress: boolean;
  /** Weight and gradient histograms every `histogram_interval` train iterations (off when unset). */
  readonly histograms: HistogramRecorder | undefined;
  /** Where the progress bar draws; the logger's console lines must reach the same terminal. */
  progressStream: ProgressStream = process.stdout;
  /** `<out_dir>/<work_dir name>` of the current run. */
  runOutDir: string | undefined;
  /** File name of the JSON logs (`<timestamp>.json`), relative to vis_data and to the run folder. */
  jsonLogPath = '';
  private display: ProgressDisplay | undefined;
  private restoreConsole: () => void = () => {};
  private warned = false;
  private replayed = false;
  private lastLoss: number | undefined;

  constructor(options: LoggerHookOptions = {}) {
    super();
    const o = parseLoggerHookOptions(options);
    this.interval = o.interval;
    this.ignoreLast = o.ignore_last;
    this.intervalExpName = o.interval_exp_name;
    this.outDir = o.out_dir ?? undefined;
    this.outSuffix = o.out_suffix;
    this.keepLocal = o.keep_local;
    this.logMetricByEpoch = o.log_metric_by_epoch;
    this.progress = o.progress;
    this.histograms = o.histogram_interval ? new HistogramRecorder(o.histogram_interval) : undefined;
  }

  override beforeRun(runner: Runner): void {
    this.histograms?.attach(runner);
    if (this.outDir) {
      this.runOutDir = path.resolve(this.outDir, path.basename(runner.workDir));
      runner.logger.info(`Text logs will be saved to ${this.runOutDir} after the training process.`);
    }
    this.jsonLogPath = `${path.basename(runner.logDir)}.json`;
    if (runner.hasTrainLoop && !this.warned) {
      this.warned = true;
      const warning = intervalWarning(this.interval, this.ignoreLast, {
        byEpoch: !isIterBased(runner),
        epochLength: runner.dataloaderLength('train'),
        maxIters: runner.maxIters,
      });
      if (warning) runner.logger.warn(warning);
    }
    if (this.progress && isInteractive(this.progressStream)) this.display ??= new ProgressDisplay(this.progressStream);
    this.restoreConsole();
    this.restoreConsole = teeConsole(runner.logger, runner.visualizer, this.display, this.replayed ? undefined : runner.logger.file);
    this.replayed = true;
  }

  override afterTrainIter(runner: Runner, batchIdx: number): void | Promise<void> {
    // before the scalars, so that W&B puts the histograms in the same row
    this.histograms?.afterIter(runner);
    const length = runner.dataloaderLength('train');
    const endOfEpoch = batchIdx + 1 === length;
    if (this.everyNTrainIters(runner, this.intervalExpName) || endOfEpoch) runner.logger.info(`Exp name: ${runner.experimentName}`);
    const logNow = this.everyNInnerIters(batchIdx, this.interval) || (endOfEpoch && (!this.ignoreLast || length <= this.interval));
    // GPU backends keep losses on the device between log lines: one read per logging interval
    const pending = logNow && runner.messageHub.heldTensors > 0 ? runner.messageHub.settle() : undefined;
    if (pending) return pending.then(() => this.logTrainIter(runner, batchIdx));
    if (logNow) this.logTrainIter(runner, batchIdx);
    else if (this.display) this.showTrain(runner, batchIdx);
  }

  private logTrainIter(runner: Runner, batchIdx: number): void {
    const [tag, line] = runner.logProcessor.getLogAfterIter(runner, batchIdx, 'train');
    runner.logger.info(line);
    runner.visualizer.addScalars(tag as Scalars, runner.iter + 1, this.jsonLogPath);
    const loss = tag[runner.logProcessor.logWithHierarchy ? 'train/loss' : 'loss'];
    if (typeof loss === 'number') this.lastLoss = loss;
    if (this.display) this.showTrain(runner, batchIdx);
  }

  override afterValIter(runner: Runner, batchIdx: number): void {
    this.afterEvalIter(runner, batchIdx, 'val');
  }

  override afterTestIter(runner: Runner, batchIdx: number): void {
    this.afterEvalIter(runner, batchIdx, 'test');
  }

  override afterValEpoch(runner: Runner, _metrics?: Metrics): void {
    // the window 'epoch' of the time averages is the batches of this validation
    const [tag, line] = runner.logProcessor.getLogAfterEpoch(runner, runner.dataloaderLength('val') - 1, 'val');
    runner.logger.info(line);
    const byEpoch = this.logMetricByEpoch ?? !isIterBased(runner);
    const step = runner.hasTrainLoop ? (byEpoch ? runner.epoch : runner.iter) : 0;
    runner.visualizer.addScalars(tag as Scalars, step, this.jsonLogPath);
  }

  override afterTestEpoch(runner: Runner, _metrics?: Metrics): void {
    const [tag, line] = runner.logProcessor.getLogAfterEpoch(runner, runner.dataloaderLength('test') - 1, 'test', true);
    runner.logger.info(line);
    // one object, replaced by each test run; written whole (temporary file + rename)
    const file = path.join(runner.logDir, this.jsonLogPath);
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(jsonTags(tag))}\n`);
    fs.renameSync(`${file}.tmp`, file);
  }

  override async afterRun(runner: Runner): Promise<void> {
    this.histograms?.detach(runner);
    this.teardown();
    await runner.visualizer.flush();
    await runner.visualizer.close(runner.runStatus);
    if (this.runOutDir) {
      uploadLogs({ logDir: runner.logDir, outDir: this.runOutDir, suffixes: this.outSuffix, keepLocal: this.keepLocal, logger: runner.logger });
    }
  }

  /** A failed or aborted run still leaves complete files: the bar goes, the backends flush and close. */
  override async onException(runner: Runner): Promise<void> {
    this.histograms?.detach(runner);
    this.teardown();
    await runner.visualizer.flush();
    await runner.visualizer.close(runner.runStatus);
  }

  private teardown(): void {
    this.display?.stop();
    this.restoreConsole();
    this.restoreConsole = () => {};
  }

  private afterEvalIter(runner: Runner, batchIdx: number, mode: 'val' | 'test'): void {
    if (this.everyNInnerIters(batchIdx, this.interval)) {
      runner.logger.info(runner.logProcessor.getLogAfterIter(runner, batchIdx, mode)[1]);
    }
    if (!this.display) return;
    const byEpoch = runner.logProcessor.byEpoch;
    const label = mode === 'val' ? (byEpoch ? `Epoch(val) [${runner.hasTrainLoop ? runner.epoch : 0}]` : 'Iter(val)') : byEpoch ? 'Epoch(test)' : 'Iter(test)';
    this.display.update({
      phase: mode,
      label,
      value: batchIdx + 1,
      total: runner.dataloaderLength(mode),
      eta: runner.messageHub.getInfo<number>('eta'),
    });
  }

  private showTrain(runner: Runner, batchIdx: number): void {
    const iterBased = isIterBased(runner);
    const hub = runner.messageHub;
    const windowSize = runner.logProcessor.windowSize;
    this.display!.update({
      phase: 'train',
      label: iterBased ? 'Iter(train)' : `Epoch(train) [${runner.epoch + 1}/${runner.maxEpochs}]`,
      value: iterBased ? runner.iter + 1 : batchIdx + 1,
      total: iterBased ? runner.maxIters : runner.dataloaderLength('train'),
      eta: hub.getInfo<number>('eta'),
      // reading the hub would force an accelerator sync on every frame: there, show the last logged value
      loss: hub.deferReads || !hub.hasScalar('train/loss') ? this.lastLoss : () => hub.getScalar('train/loss').mean(windowSize),
    });
  }
}
