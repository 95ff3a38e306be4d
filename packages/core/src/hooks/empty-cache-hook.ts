import { z } from 'zod';
import { CAPABILITIES_DOC, releaseBackendCaches } from '../env/backend-capabilities.js';
import { defineOptions } from '../registry/options.js';
import type { Runner } from '../runner/runner.js';
import { Hook, type Mode } from './hook.js';

export const emptyCacheHookOptions = defineOptions({
  before_epoch: z.boolean().default(false),
  after_epoch: z.boolean().default(true),
  after_iter: z.boolean().default(false),
});

export type EmptyCacheHookOptions = z.input<typeof emptyCacheHookOptions>;

/**
 * Gives pooled device memory back to the driver before / after each epoch and after each
 * iteration of every mode (MMEngine's EmptyCacheHook). What is released is the backend's to say:
 * the hook calls the `releaseCaches` capability its plugin declares (webgpu destroys its free
 * buffers; cpu and wasm pool nothing); a backend that declares none is told about once.
 */
export class EmptyCacheHook extends Hook {
  private reported = false;

  constructor(opts: EmptyCacheHookOptions = {}) {
    super();
    const o = emptyCacheHookOptions.parse(opts);
    // points that are switched off are removed, so they cost nothing and the printed plan shows
    // where the hook really acts
    const self = this as { beforeEpoch?: unknown; afterEpoch?: unknown; afterIter?: unknown };
    if (!o.before_epoch) self.beforeEpoch = undefined;
    if (!o.after_epoch) self.afterEpoch = undefined;
    if (!o.after_iter) self.afterIter = undefined;
  }

  override beforeEpoch(runner: Runner, _mode: Mode): void {
    this.release(runner);
  }

  override afterEpoch(runner: Runner, _mode: Mode): void {
    this.release(runner);
  }

  override afterIter(runner: Runner): void {
    this.release(runner);
  }

  private release(runner: Runner): void {
    const r = releaseBackendCaches();
    if (this.reported) return;
    this.reported = true;
    if (!r) {
      runner.logger.warn(
        `EmptyCacheHook: the ${runner.backend} backend declares no releaseCaches capability, so nothing is released (its plugin declares one: ${CAPABILITIES_DOC})`,
      );
    } else if (r.buffers || r.textures || r.bytes) {
      runner.logger.debug(
        `EmptyCacheHook: released ${r.buffers} pooled buffer(s) and ${r.textures} texture(s), ${(r.bytes / 2 ** 20).toFixed(1)} MB, of the ${r.backend} backend`,
      );
    } else {
      runner.logger.debug(`EmptyCacheHook: nothing to release: ${r.note ?? `the ${r.backend} backend had nothing pooled`}`);
    }
  }
}
