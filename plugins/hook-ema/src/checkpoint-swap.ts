import type * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '@trainkit/core/checkpoint';

/**
 * Exchanges the tensors of `state_dict[name]` and `ema_state_dict['module.' + name]` for every
 * name both hold. Saving does it once so that a checkpoint's `state_dict` holds the averaged
 * weights (what one deploys or evaluates with `load_from`) and `ema_state_dict` the raw ones;
 * resuming does it again to put them back. Only references move: nothing is copied.
 */
export function swapEmaStateDict(checkpoint: Checkpoint): void {
  const model = checkpoint.state_dict;
  const ema = checkpoint.ema_state_dict as Record<string, tf.Tensor> | undefined;
  if (!model || !ema) return;
  for (const key of Object.keys(ema)) {
    if (!key.startsWith('module.')) continue;
    const name = key.slice('module.'.length);
    if (!(name in model)) continue;
    const averaged = ema[key];
    ema[key] = model[name];
    model[name] = averaged;
  }
}
