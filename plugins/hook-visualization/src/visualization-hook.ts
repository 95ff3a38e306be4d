import * as path from 'node:path';
import { ConfigError, type DataBatch, type DataSample, EpochBasedTrainLoop, Hook, type Runner, Visualizer, getLogger, parseOptions } from '@trainkit/core';
import { type VisualizationHookOptions, visualizationHookOptions } from './options.js';
import { positionsByInterval, positionsInSet } from './sample-choice.js';
import { batchImage } from './to-image.js';

/** A sample's name in file names: the basename of its image path, else its global index. */
function sampleName(sample: DataSample | undefined, globalIndex: number): string {
  const p = sample?.img_path ?? sample?.metainfo?.img_path;
  if (typeof p === 'string' && p !== '') return p.split(/[\\/]/).pop() || String(globalIndex);
  return String(globalIndex);
}

/**
 * Draws ground truth and prediction on some validation (and test) images and hands them to the
 * runner's visualizer, so every backend (local PNGs, TensorBoard, W&B) shows the model improving
 * on the same images. Off by default, as in MMEngine.
 */
export class VisualizationHook extends Hook {
  /** Rank 0 alone writes (distributed runs). */
  override readonly mainProcessOnly = true;
  readonly enable: boolean;
  readonly interval: number;
  readonly sampleIndices: readonly number[] | undefined;
  /**
   * `out_dir` as given. Not named `outDir`: the runner takes a hook's `outDir` for the
   * checkpoint folder.
   */
  readonly imageOutDir: string | undefined;
  /** `test_out_dir` as given: where test images go instead (relative to the run folder). */
  readonly testOutDir: string | undefined;
  /** What `addDatasample` of the run's visualizer receives (ClsVisualizer's options). */
  private readonly drawOptions: Record<string, unknown>;
  /** Samples seen so far in the current validation or test pass. */
  private seen = 0;
  private warnedInputs = false;

  constructor(opts: VisualizationHookOptions = {}) {
    super();
    const o = parseOptions(visualizationHookOptions, opts, 'VisualizationHook', 'VisualizationHook');
    this.enable = o.enable ?? o.draw ?? false;
    this.interval = o.interval;
    this.sampleIndices = o.sample_indices ? [...new Set(o.sample_indices)].sort((a, b) => a - b) : undefined;
    this.imageOutDir = o.out_dir ?? undefined;
    this.testOutDir = o.test_out_dir ?? undefined;
    this.drawOptions = {
      draw_gt: o.draw_gt,
      draw_pred: o.draw_pred,
      draw_score: o.draw_score,
      resize: o.resize ?? undefined,
      rescale_factor: o.rescale_factor ?? undefined,
      classes: o.classes ?? undefined,
    };
    // A disabled hook implements no hook point at all, so the runner's plan never calls it: the
    // cost per validation iteration is exactly zero, not a call that returns early.
    if (!this.enable) return;
    this.beforeRun = (runner) => checkDraws(runner.visualizer);
    if (o.show) getLogger().warn('VisualizationHook: show is ignored (trainkit runs headless); the images go to the visualizer backends');
    this.afterValIter = (runner, batchIdx, dataBatch, outputs) => this.visualizeBatch(runner, batchIdx, dataBatch, outputs, valStep(runner));
    this.afterTestIter = (runner, batchIdx, dataBatch, outputs) =>
      this.visualizeBatch(runner, batchIdx, dataBatch, outputs, 0, this.testOutDir ?? this.imageOutDir);
  }

  /**
   * Draws the chosen samples of one batch, to `outDir` (relative to the run folder) when given,
   * else to the visualizer's backends. Public so custom loops can drive it.
   */
  async visualizeBatch(
    runner: Runner,
    batchIdx: number,
    dataBatch: DataBatch | undefined,
    outputs: unknown[] | undefined,
    step: number,
    outDir: string | undefined = this.imageOutDir,
  ): Promise<void> {
    if (batchIdx === 0) this.seen = 0;
    const size = outputs?.length ?? 0;
    const start = this.seen;
    this.seen += size;
    if (!dataBatch || size === 0) return;
    const positions = this.sampleIndices ? positionsInSet(start, size, this.sampleIndices) : positionsByInterval(start, size, this.interval);
    for (const i of positions) {
      const image = await batchImage(dataBatch.inputs, i);
      if (!image) {
        this.warnInputs(dataBatch.inputs);
        continue;
      }
      const sample = { ...(dataBatch.data_samples?.[i] ?? {}), ...(outputs![i] as DataSample) };
      const name = sampleName(sample, start + i);
      const outFile = outDir === undefined ? undefined : path.resolve(runner.logDir, outDir, `${name}_${step}.png`);
      const opts = { ...this.drawOptions, step, out_file: outFile };
      runner.visualizer.addDatasample(name, image, sample, opts);
    }
  }

  private warnInputs(inputs: unknown): void {
    if (this.warnedInputs) return;
    this.warnedInputs = true;
    const shape = (inputs as { shape?: unknown })?.shape;
    getLogger().warn(
      `VisualizationHook: batch inputs${Array.isArray(shape) ? ` of shape [${shape}]` : ''} are not images ([B, H, W], [B, H, W, C] or [B, C, H, W] with 1, 3 or 4 channels, or square flattened gray); nothing is drawn`,
    );
  }
}

/**
 * The hook draws through the visualizer the config names (as MMEngine's does); core's plain
 * Visualizer draws nothing, and an enabled hook that silently draws nothing is refused.
 */
function checkDraws(visualizer: Visualizer): void {
  if (visualizer.addDatasample !== Visualizer.prototype.addDatasample) return;
  throw new ConfigError(
    "VisualizationHook is enabled but the visualizer draws no data samples (its addDatasample is the base Visualizer's, which does nothing)",
    {
      path: 'visualizer.type',
      fix: "name a task visualizer, e.g. visualizer: { type: 'ClsVisualizer', vis_backends: [...] } from @trainkit/tasks (pnpm add @trainkit/tasks), or disable the hook",
    },
  );
}

/** Validation images are stepped by epoch in epoch-based training, else by iteration. */
function valStep(runner: Runner): number {
  return runner.trainLoop instanceof EpochBasedTrainLoop ? runner.epoch : runner.iter;
}
