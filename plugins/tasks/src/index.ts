/**
 * @trainkit/tasks: the classification and regression task code, as mmpretrain is to MMEngine.
 * Importing it registers LayersClassifier and LayersModelWrapper in MODELS, the metrics in
 * METRICS and ClsVisualizer (alias UniversalVisualizer) in VISUALIZERS.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { Accuracy, accuracyOptions } from './metrics/accuracy.js';
import { ConfusionMatrix, confusionMatrixOptions } from './metrics/confusion-matrix.js';
import { MAE, maeOptions } from './metrics/mae.js';
import { MSE, mseOptions } from './metrics/mse.js';
import { RMSE, rmseOptions } from './metrics/rmse.js';
import { ROCAUC, rocAucOptions } from './metrics/roc-auc.js';
import { SingleLabelMetric, singleLabelMetricOptions } from './metrics/single-label-metric.js';
import { LayersClassifier } from './models/layers-classifier.js';
import { LayersModelWrapper } from './models/layers-model-wrapper.js';
import { layersClassifierOptions, layersModelWrapperOptions } from './models/options.js';
import { ClsVisualizer } from './visualization/cls-visualizer.js';
import { clsVisualizerOptions } from './visualization/options.js';

export { LayersClassifier, buildSequential, type LayersClassifierOptions, type LayerSpec } from './models/layers-classifier.js';
export { LayersModelWrapper, type LayersModelWrapperOptions } from './models/layers-model-wrapper.js';
export { namedLoss, LOSS_NAMES, type LossFunction, type LossKind, type NamedLoss } from './models/named-losses.js';
export { softmaxCrossEntropy } from './models/softmax-cross-entropy.js';
export { layersClassifierOptions, layersModelWrapperOptions } from './models/options.js';

export { Accuracy, accuracyOptions, type AccuracyOptions } from './metrics/accuracy.js';
export { SingleLabelMetric, singleLabelMetricOptions, type SingleLabelMetricOptions } from './metrics/single-label-metric.js';
export { ConfusionMatrix, confusionMatrixOptions, drawConfusionMatrix, type ConfusionMatrixOptions } from './metrics/confusion-matrix.js';
export { ROCAUC, rocAucOptions, binaryAuc, type RocAucOptions } from './metrics/roc-auc.js';
export { MSE, mseOptions } from './metrics/mse.js';
export { MAE, maeOptions } from './metrics/mae.js';
export { RMSE, rmseOptions } from './metrics/rmse.js';

export { ClsVisualizer, addClsDatasample, type ClsDatasampleOptions } from './visualization/cls-visualizer.js';
export { clsVisualizerOptions, type ClsVisualizerOptions } from './visualization/options.js';
export { drawClsSample, type DrawClsOptions } from './visualization/draw-cls-sample.js';
export { drawLabels } from './visualization/draw-labels.js';
export { labelText, type LabelTextOptions } from './visualization/label-text.js';
export { textLayout, fitFont, MIN_FONT_PX, type TextLayout } from './visualization/text-layout.js';
export { targetSize, resizeNearest, AUTO_UPSCALE_BELOW, AUTO_UPSCALE_TARGET, type RescaleOptions } from './visualization/rescale.js';
export { labelFontFamily } from './visualization/font.js';

export const plugin = definePlugin({
  name: '@trainkit/tasks',
  provides: {
    MODELS: {
      LayersClassifier: { cls: LayersClassifier, options: layersClassifierOptions },
      LayersModelWrapper: { cls: LayersModelWrapper, options: layersModelWrapperOptions },
    },
    METRICS: {
      Accuracy: { cls: Accuracy, options: accuracyOptions },
      SingleLabelMetric: { cls: SingleLabelMetric, options: singleLabelMetricOptions },
      ConfusionMatrix: { cls: ConfusionMatrix, options: confusionMatrixOptions },
      ROCAUC: { cls: ROCAUC, options: rocAucOptions },
      MSE: { cls: MSE, options: mseOptions },
      MAE: { cls: MAE, options: maeOptions },
      RMSE: { cls: RMSE, options: rmseOptions },
    },
    // UniversalVisualizer: MMEngine's name for the general one, the same class here
    VISUALIZERS: {
      ClsVisualizer: { cls: ClsVisualizer, options: clsVisualizerOptions },
      UniversalVisualizer: { cls: ClsVisualizer, options: clsVisualizerOptions },
    },
  },
});

declare module '@trainkit/core' {
  interface ModelOptionsMap {
    LayersClassifier: z.input<typeof layersClassifierOptions>;
    LayersModelWrapper: z.input<typeof layersModelWrapperOptions>;
  }
  interface MetricOptionsMap {
    Accuracy: z.input<typeof accuracyOptions>;
    SingleLabelMetric: z.input<typeof singleLabelMetricOptions>;
    ConfusionMatrix: z.input<typeof confusionMatrixOptions>;
    ROCAUC: z.input<typeof rocAucOptions>;
    MSE: z.input<typeof mseOptions>;
    MAE: z.input<typeof maeOptions>;
    RMSE: z.input<typeof rmseOptions>;
  }
  interface VisualizerOptionsMap {
    ClsVisualizer: z.input<typeof clsVisualizerOptions>;
    UniversalVisualizer: z.input<typeof clsVisualizerOptions>;
  }
}
