/**
 * @trainkit/core/checkpoint: the checkpoint contract between the runner and the format plugins
 * (what a checkpoint holds, saving and loading through the registered format).
 */
export type { Checkpoint, CheckpointFormat, CheckpointMeta, CheckpointSaveOptions } from '../checkpoint/checkpoint.js';
export { disposeCheckpoint } from '../checkpoint/checkpoint.js';
export { readLastCheckpoint, listCheckpoints } from '../checkpoint/find-latest.js';
export type { SaveOptions, LoadOptions, PendingCheckpointSave } from '../runner/checkpointing.js';
export { loadCheckpoint, resumeFrom, checkpointFormat } from '../runner/checkpointing.js';
