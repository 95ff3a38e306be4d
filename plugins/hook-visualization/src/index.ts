/** @trainkit/hook-visualization: VisualizationHook and ClsVisualizer: predictions drawn on validation images */
export {};
