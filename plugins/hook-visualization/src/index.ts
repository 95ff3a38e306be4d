/**
 * @trainkit/hook-visualization: VisualizationHook and ClsVisualizer. Importing it registers
 * VisualizationHook in HOOKS and ClsVisualizer (alias UniversalVisualizer) in VISUALIZERS.
 */
import { definePlugin, type z } from '@trainkit/core';
import { ClsVisualizer } from './cls-visualizer.js';
import { clsVisualizerOptions, visualizationHookOptions } from './options.js';
import { VisualizationHook } from './visualization-hook.js';

export { VisualizationHook } from './visualization-hook.js';
export { ClsVisualizer, addClsDatasample, type ClsDatasampleOptions } from './cls-visualizer.js';
export { drawClsSample, type DrawClsOptions } from './draw-cls-sample.js';
export { drawLabels } from './draw-labels.js';
export { labelText, type LabelTextOptions } from './label-text.js';
export { textLayout, fitFont, MIN_FONT_PX, type TextLayout } from './text-layout.js';
export { targetSize, resizeNearest, AUTO_UPSCALE_BELOW, AUTO_UPSCALE_TARGET, type RescaleOptions } from './rescale.js';
export { batchImage, sampleToImage } from './to-image.js';
export { positionsByInterval, positionsInSet } from './sample-choice.js';
export { labelFontFamily } from './font.js';
export { visualizationHookOptions, clsVisualizerOptions, type VisualizationHookOptions, type ClsVisualizerOptions } from './options.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-visualization',
  provides: {
    HOOKS: { VisualizationHook: { cls: VisualizationHook, options: visualizationHookOptions } },
    // UniversalVisualizer: MMEngine's name for the general one, the same class here
    VISUALIZERS: {
      ClsVisualizer: { cls: ClsVisualizer, options: clsVisualizerOptions },
      UniversalVisualizer: { cls: ClsVisualizer, options: clsVisualizerOptions },
    },
  },
});

declare module '@trainkit/core' {
  interface HookOptionsMap {
    VisualizationHook: z.input<typeof visualizationHookOptions>;
  }
  interface VisualizerOptionsMap {
    ClsVisualizer: z.input<typeof clsVisualizerOptions>;
    UniversalVisualizer: z.input<typeof clsVisualizerOptions>;
  }
}
