/**
 * @trainkit/hook-visualization: VisualizationHook. Importing it registers VisualizationHook in
 * HOOKS. The hook draws through the run's visualizer (`visualizer.type`, built through core's
 * registry), e.g. ClsVisualizer from @trainkit/tasks.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { visualizationHookOptions } from './options.js';
import { VisualizationHook } from './visualization-hook.js';

export { VisualizationHook } from './visualization-hook.js';
export { batchImage, sampleToImage } from './to-image.js';
export { positionsByInterval, positionsInSet } from './sample-choice.js';
export { visualizationHookOptions, type VisualizationHookOptions } from './options.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-visualization',
  provides: {
    HOOKS: { VisualizationHook: { cls: VisualizationHook, options: visualizationHookOptions } },
  },
});

declare module '@trainkit/core' {
  interface HookOptionsMap {
    VisualizationHook: z.input<typeof visualizationHookOptions>;
  }
}
