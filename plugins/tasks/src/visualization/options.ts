import { defineOptions, z } from '@trainkit/core';

/** ClsVisualizer takes the Visualizer's options. */
export const clsVisualizerOptions = defineOptions({
  name: z.string().optional(),
  vis_backends: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  save_dir: z.string().optional(),
});

export type ClsVisualizerOptions = z.input<typeof clsVisualizerOptions>;
