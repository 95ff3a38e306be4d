/**
 * Which official package provides which type, so that a config naming a type whose package is not
 * installed gets `pnpm add <package>` in its error. Data only: core never imports a plugin.
 */
const OFFICIAL: Record<string, Record<string, string[]>> = {
  '@trainkit/hook-checkpoint': {
    hook: ['CheckpointHook'],
    'checkpoint format': ['SafetensorsCheckpoint'],
  },
  '@trainkit/hook-logger': { hook: ['LoggerHook'] },
  '@trainkit/hook-ema': {
    hook: ['EMAHook'],
    model: ['ExponentialMovingAverage', 'MomentumAnnealingEMA', 'StochasticWeightAverage'],
  },
  '@trainkit/hook-early-stopping': { hook: ['EarlyStoppingHook'] },
  '@trainkit/hook-profiler': { hook: ['ProfilerHook'] },
  '@trainkit/hook-visualization': { hook: ['VisualizationHook'] },
  '@trainkit/tasks': {
    model: ['LayersClassifier', 'LayersModelWrapper'],
    metric: ['Accuracy', 'SingleLabelMetric', 'ConfusionMatrix', 'ROCAUC', 'MSE', 'MAE', 'RMSE'],
    visualizer: ['ClsVisualizer', 'UniversalVisualizer'],
  },
  '@trainkit/vis-tensorboard': { vis_backend: ['TensorboardVisBackend'] },
  '@trainkit/vis-wandb': { vis_backend: ['WandbVisBackend'] },
  '@trainkit/vis-csv': { vis_backend: ['CsvVisBackend'] },
  // a distributed backend (registerDistBackend), no registry types
  '@trainkit/dist-gloo': {},
  '@trainkit/backend-wasm': { backend: ['wasm'] },
  '@trainkit/backend-webgpu': { backend: ['webgpu'] },
  '@trainkit/optim': {
    hook: ['ParamSchedulerHook'],
    optimizer: ['SGD', 'Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'RMSprop', 'Adagrad', 'Adadelta', 'Lion', 'Rprop', 'ASGD'],
    'optim wrapper': ['OptimWrapper', 'AmpOptimWrapper', 'OptimWrapperDict'],
    'optimizer wrapper constructor': ['DefaultOptimWrapperConstructor', 'LearningRateDecayOptimizerConstructor', 'LayerDecayOptimizerConstructor'],
    'parameter scheduler': [
      'ConstantLR',
      'LinearLR',
      'StepLR',
      'MultiStepLR',
      'ExponentialLR',
      'CosineAnnealingLR',
      'CosineRestartLR',
      'PolyLR',
      'OneCycleLR',
      'ReduceOnPlateauLR',
      'ConstantMomentum',
      'LinearMomentum',
      'StepMomentum',
      'MultiStepMomentum',
      'ExponentialMomentum',
      'CosineAnnealingMomentum',
      'CosineRestartMomentum',
      'PolyMomentum',
      'ReduceOnPlateauMomentum',
      'ConstantParamScheduler',
      'LinearParamScheduler',
      'StepParamScheduler',
      'MultiStepParamScheduler',
      'ExponentialParamScheduler',
      'CosineAnnealingParamScheduler',
      'CosineRestartParamScheduler',
      'PolyParamScheduler',
      'OneCycleParamScheduler',
      'ReduceOnPlateauParamScheduler',
    ],
  },
};

/** The official package that provides `type` in the registry named `registry`, if any. */
export function officialPackageFor(registry: string, type: string): string | undefined {
  for (const [pkg, byRegistry] of Object.entries(OFFICIAL)) {
    if (byRegistry[registry]?.includes(type)) return pkg;
  }
  return undefined;
}

export function officialPackages(): string[] {
  return Object.keys(OFFICIAL);
}

/** What the table says `pkg` provides, by registry name (`hook`, `model`, ...). */
export function officialProvides(pkg: string): Record<string, string[]> | undefined {
  return OFFICIAL[pkg];
}
