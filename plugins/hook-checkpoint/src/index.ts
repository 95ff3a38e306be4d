/**
 * @trainkit/hook-checkpoint: CheckpointHook and the safetensors checkpoint format (save,
 * load_from a path or URL, exact resume). Importing it registers `CheckpointHook` in HOOKS and
 * `SafetensorsCheckpoint` in CHECKPOINT_FORMATS.
 */
import { defineOptions, type z } from '@trainkit/core';
import { definePlugin } from '@trainkit/core/plugin';
import { CheckpointHook } from './checkpoint-hook.js';
import { SafetensorsCheckpoint } from './format/safetensors-checkpoint.js';
import { checkpointHookOptions } from './options.js';

export const plugin = definePlugin({
  name: '@trainkit/hook-checkpoint',
  provides: {
    HOOKS: { CheckpointHook: { cls: CheckpointHook, options: checkpointHookOptions } },
    CHECKPOINT_FORMATS: { SafetensorsCheckpoint: { cls: SafetensorsCheckpoint, options: defineOptions({}) } },
  },
});

declare module '@trainkit/core' {
  interface HookOptionsMap {
    CheckpointHook: z.input<typeof checkpointHookOptions>;
  }
}

export { CheckpointHook } from './checkpoint-hook.js';
export { checkpointHookOptions, type CheckpointHookOptions } from './options.js';
export { SafetensorsCheckpoint } from './format/safetensors-checkpoint.js';
export { readCheckpointFile, verifyCheckpointFile } from './format/read.js';
export { writeCheckpointFile, type WriteOptions } from './format/write.js';
export {
  downloadToCache,
  checkpointCacheDir,
  cachePathFor,
  setDownloadLimits,
  downloadLimits,
  DEFAULT_DOWNLOAD_LIMITS,
  type DownloadLimits,
} from './format/download.js';
export { FORMAT_VERSION } from './format/layout.js';
export { FilenameTemplate } from './filename-template.js';
export { inferRule, DEFAULT_GREATER_KEYS, DEFAULT_LESS_KEYS, type Rule } from './best-rules.js';
