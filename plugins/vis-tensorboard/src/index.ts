/**
 * @trainkit/vis-tensorboard: TensorboardVisBackend writes what a run records (scalars, images,
 * the config as text, hparams) as TensorBoard event files through @trainkit/tfevents. Importing
 * it registers `TensorboardVisBackend` in VISBACKENDS.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { tensorboardVisBackendOptions } from './options.js';
import { TensorboardVisBackend } from './tensorboard-vis-backend.js';

export { TensorboardVisBackend } from './tensorboard-vis-backend.js';
export { tensorboardVisBackendOptions, type TensorboardVisBackendOptions } from './options.js';
export { flattenHparams } from './hparams.js';

export const plugin = definePlugin({
  name: '@trainkit/vis-tensorboard',
  provides: { VISBACKENDS: { TensorboardVisBackend: { cls: TensorboardVisBackend, options: tensorboardVisBackendOptions } } },
});

declare module '@trainkit/core' {
  interface VisBackendOptionsMap {
    TensorboardVisBackend: z.input<typeof tensorboardVisBackendOptions>;
  }
}
