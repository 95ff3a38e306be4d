import { defineOptions, z } from '@trainkit/core';

/** VisualizationHook's options: MMEngine's (mmpretrain's) names, plus `sample_indices`. */
export const visualizationHookOptions = defineOptions({
  enable: z.boolean().default(false),
  interval: z.number().int().positive().default(5000),
  /** Samples to draw by global index, every validation; replaces `interval` when set. */
  sample_indices: z.array(z.number().int().min(0)).nullable().optional(),
  draw_gt: z.boolean().default(true),
  draw_pred: z.boolean().default(true),
  draw_score: z.boolean().default(true),
  out_dir: z.string().nullable().optional(),
  resize: z.number().int().positive().nullable().optional(),
  rescale_factor: z.number().positive().nullable().optional(),
  /** Class names; the dataset's `metainfo.classes` when absent. */
  classes: z.array(z.string()).nullable().optional(),
  /** Accepted so MMEngine configs load; a headless run has no window to show or wait on. */
  show: z.boolean().default(false),
  wait_time: z.number().min(0).optional(),
});

/** ClsVisualizer takes the Visualizer's options. */
export const clsVisualizerOptions = defineOptions({
  name: z.string().optional(),
  vis_backends: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  save_dir: z.string().optional(),
});

export type VisualizationHookOptions = z.input<typeof visualizationHookOptions>;
export type ClsVisualizerOptions = z.input<typeof clsVisualizerOptions>;
