import { z } from 'zod';
import { releaseBackendCaches } from '../env/release-backend-caches.js';
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
 * iteration of every mode (MMEngine's EmptyCacheHook). What is released depends on the backend:
 * see `releaseBackendCaches`; on cpu, wasm and tensorflow nothing is pooled, so it is a no-op.
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
    runner.logger.debug(
      r.buffers || r.textures
        ? `EmptyCacheHook: released ${r.buffers} pooled buffer(s) and ${r.textures} texture(s), ${(r.bytes / 2 ** 20).toFixed(1)} MB, of the ${r.backend} backend`
        : `EmptyCacheHook: the ${r.backend} backend pools no device memory; nothing to release`,
    );
  }
}
