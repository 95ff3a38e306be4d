/**
 * @trainkit/vis-wandb: WandbVisBackend, Weights & Biases over its HTTP protocol (online, offline,
 * disabled), no Python. Importing it registers `WandbVisBackend` in VISBACKENDS.
 */
import { definePlugin } from '@trainkit/core/plugin';
import type { z } from '@trainkit/core';
import { wandbVisBackendOptions } from './options.js';
import { WandbVisBackend } from './wandb-vis-backend.js';

export const plugin = definePlugin({
  name: '@trainkit/vis-wandb',
  provides: { VISBACKENDS: { WandbVisBackend: { cls: WandbVisBackend, options: wandbVisBackendOptions } } },
});

declare module '@trainkit/core' {
  interface VisBackendOptionsMap {
    WandbVisBackend: z.input<typeof wandbVisBackendOptions>;
  }
}

export { WandbVisBackend };
export { wandbVisBackendOptions, type WandbVisBackendOptions } from './options.js';
export { syncRun, type SyncResult } from './sync/sync-run.js';
export { RecordLogReader } from './record/log-reader.js';
export { RecordLogWriter } from './record/log-writer.js';
export { decodeRecord, encodeRecord, type WandbRecord, type Item, type RunInfo } from './record/messages.js';
export type { StreamReport } from './stream/run-streamer.js';
