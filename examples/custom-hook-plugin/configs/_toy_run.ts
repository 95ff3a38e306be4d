// The experiment both example configs share: trainkit's toy linear model on a 10-sample dataset
// (from @trainkit/core/testing), so the example is about the hook, not the model. The toy types
// are test helpers outside core's typed config maps, so this base is a plain, untyped config.
import '@trainkit/core/testing';

// no work_dir: `trainkit train` uses ./work_dirs/<config name>
export default {
  model: { type: 'ToyModel' },
  train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2, sampler: { type: 'DefaultSampler', shuffle: true } },
  train_cfg: { by_epoch: true, max_epochs: 3 },
  optim_wrapper: { constructor: 'SimpleSGDConstructor', optimizer: { type: 'SGD', lr: 0.1 } },
  // the toy run needs no checkpoints or schedulers; keep the output to the hook
  default_hooks: { param_scheduler: null, checkpoint: null, logger: null },
  randomness: { seed: 0 },
  env_cfg: { backend: 'cpu' },
};
