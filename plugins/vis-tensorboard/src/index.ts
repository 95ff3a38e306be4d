/** @trainkit/vis-tensorboard: TensorboardVisBackend: scalars, images, text and hparams as TensorBoard event files */
export {};
