import { defineOptions, z } from '@trainkit/core';

/** VisualizationHook's options: MMEngine's (mmpretrain's) names, plus `sample_indices`. */
export const visualizationHookOptions = defineOptions({
  enable: z.boolean().optional(),
  /** mmdet's name for `enable` (DetVisualizationHook). */
  draw: z.boolean().optional(),
  interval: z.number().int().positive().default(5000),
  /** Samples to draw by global index, every validation; replaces `interval` when set. */
  sample_indices: z.array(z.number().int().min(0)).nullable().optional(),
  draw_gt: z.boolean().default(true),
  draw_pred: z.boolean().default(true),
  draw_score: z.boolean().default(true),
  out_dir: z.string().nullable().optional(),
  /** Where test images go (relative to the run folder), as mmdet's `test_out_dir`; wins over out_dir in test. */
  test_out_dir: z.string().nullable().optional(),
  resize: z.number().int().positive().nullable().optional(),
  rescale_factor: z.number().positive().nullable().optional(),
  /** Class names; the dataset's `metainfo.classes` when absent. */
  classes: z.array(z.string()).nullable().optional(),
  /** Accepted so MMEngine configs load; a headless run has no window to show (true logs a warning). */
  show: z.boolean().default(false),
  /** Refused: MMEngine's pause between windows shown with `show`, and trainkit shows no window. */
  wait_time: z.unknown().optional(),
}).superRefine((o, ctx) => {
  if (o.enable !== undefined && o.draw !== undefined && o.enable !== o.draw) {
    ctx.addIssue({ code: 'custom', path: ['draw'], message: 'draw is another name for enable and says the opposite here: keep only one of them' });
  }
  if (o.wait_time !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['wait_time'],
      message:
        'wait_time is how long MMEngine waits on the window that show opens; trainkit runs headless and opens no window, so there is nothing to wait on: remove wait_time (the images go to the visualizer backends, or to out_dir / test_out_dir)',
    });
  }
});

export type VisualizationHookOptions = z.input<typeof visualizationHookOptions>;
