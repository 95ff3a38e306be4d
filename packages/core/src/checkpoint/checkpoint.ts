import type * as tf from '@tensorflow/tfjs';
import type { MessageHubState } from '../message-hub/message-hub.js';
import type { StateDict } from '../types.js';

/** Facts about a checkpoint, stored as JSON next to the tensors. */
export interface CheckpointMeta {
  epoch: number;
  iter: number;
  seed?: number;
  experiment_name?: string;
  time?: string;
  trainkit_version?: string;
  tfjs_version?: string;
  tfjs_backend?: string;
  /** The resolved config as JSON text. */
  cfg?: string;
  dataset_meta?: Record<string, unknown>;
  /** State of the generator behind `Math.random`, for exact resume. */
  rng_state?: number[];
  /** The run folder this chain of resumes started in (so backends can continue its curves). */
  log_dir?: string;
  /** State of the train sampler (seed, epoch), for exact resume. */
  sampler_state?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A checkpoint in memory, with MMEngine's top-level keys. Hooks may add their own keys in
 * `beforeSaveCheckpoint` (e.g. `ema_state_dict`) and read them in `afterLoadCheckpoint`.
 */
export interface Checkpoint {
  meta: CheckpointMeta;
  state_dict: Record<string, tf.Tensor>;
  message_hub?: MessageHubState;
  optimizer?: StateDict;
  param_schedulers?: Array<Record<string, unknown>> | Record<string, Array<Record<string, unknown>>>;
  [key: string]: unknown;
}

export interface CheckpointSaveOptions {
  /**
   * Training goes on while the file is written (`async_save`): a format should then keep work
   * off the main thread where it can (e.g. compute checksums on a worker).
   */
  background?: boolean;
}

/** How checkpoints become files and back (registered in CHECKPOINT_FORMATS). */
export interface CheckpointFormat {
  /** File extensions this format reads and writes, e.g. `['.safetensors']`. */
  readonly extensions: readonly string[];
  /**
   * Writes `checkpoint` to `file` atomically. Everything in the checkpoint (tensor data
   * included) must be snapshotted before the returned promise's first await, so that training
   * may go on and change the weights while the file is written. A snapshot may hold the
   * arrays `dataSync()` returns without copying them: TensorFlow.js never changes a tensor's
   * buffer in place.
   */
  save(file: string, checkpoint: Checkpoint, options?: CheckpointSaveOptions): Promise<void>;
  /** Reads a checkpoint from a path (or URL, where the format supports it). */
  load(source: string): Promise<Checkpoint>;
  /**
   * Integrity check used by auto-resume to skip a broken newest checkpoint: resolves false or
   * rejects (preferably with a CheckpointError saying what is wrong) for a broken file.
   */
  verify?(file: string): Promise<boolean>;
}

/** Frees every tensor of a loaded checkpoint. */
export function disposeCheckpoint(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (typeof (value as tf.Tensor).dispose === 'function' && 'dataId' in (value as object)) {
    (value as tf.Tensor).dispose();
    return;
  }
  for (const v of Object.values(value as Record<string, unknown>)) disposeCheckpoint(v);
}
