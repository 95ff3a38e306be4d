import { z } from 'zod';
import { getLogger } from '../logging/logger.js';
import { defineOptions, parseOptions } from '../registry/options.js';

/** MMEngine's `env_cfg.mp_cfg`: checked so a typo is still caught, though nothing here uses it. */
const mpCfgOptions = defineOptions({
  mp_start_method: z.enum(['fork', 'spawn', 'forkserver']).optional(),
  opencv_num_threads: z.number().int().min(0).optional(),
});

/**
 * `env_cfg` options that configure PyTorch, cuDNN or Python's multiprocessing have nothing to act
 * on in TensorFlow.js. MMEngine's default runtime config sets them, so they are accepted, and
 * the log says in one line each why they change nothing.
 */
export function reportInertEnvOptions(env: Record<string, unknown>): void {
  const logger = getLogger();
  if ('cudnn_benchmark' in env && env.cudnn_benchmark !== undefined) {
    const asked = env.cudnn_benchmark === true;
    const line = `env_cfg.cudnn_benchmark${asked ? ': true' : ''} has no effect: TensorFlow.js has no cuDNN autotuner to switch (on tensorflow-gpu, TensorFlow chooses its cuDNN algorithms itself)`;
    if (asked) logger.warn(line);
    else logger.info(line);
  }
  if ('mp_cfg' in env && env.mp_cfg !== undefined && env.mp_cfg !== null) {
    const mp = parseOptions(mpCfgOptions, env.mp_cfg, 'env_cfg.mp_cfg', 'env_cfg.mp_cfg');
    const keys = Object.keys(mp);
    logger.info(
      `env_cfg.mp_cfg${keys.length ? ` (${keys.join(', ')})` : ''} has no effect: trainkit loads data in the training process (no worker processes to start) and decodes images without OpenCV (no OpenCV threads to limit)`,
    );
  }
}
