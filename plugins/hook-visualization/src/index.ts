/**
 * @trainkit/hook-visualization: VisualizationHook and ClsVisualizer. Importing it registers
 * VisualizationHook in HOOKS and ClsVisualizer (alias UniversalVisualizer) in VISUALIZERS.
 */
import { HOOKS, VISUALIZERS, type z } from '@trainkit/core';
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

const from = '@trainkit/hook-visualization';
HOOKS.register('VisualizationHook', VisualizationHook, { options: visualizationHookOptions, from });
VISUALIZERS.register(['ClsVisualizer', 'UniversalVisualizer'], ClsVisualizer, { options: clsVisualizerOptions, from });

declare module '@trainkit/core' {
  interface HookOptionsMap {
    VisualizationHook: z.input<typeof visualizationHookOptions>;
  }
  interface VisualizerOptionsMap {
    ClsVisualizer: z.input<typeof clsVisualizerOptions>;
    UniversalVisualizer: z.input<typeof clsVisualizerOptions>;
  }
}
