import * as tf from '@tensorflow/tfjs';
import { BaseModel, type DataSample, type ForwardMode, type LossDict } from '@trainkit/core';
import type { Checkpoint, CheckpointFormat } from '@trainkit/core/checkpoint';

/** A model with one scalar parameter `w` and one buffer `bn.mean`, set by hand between updates. */
export class ScalarModel extends BaseModel {
  readonly w = this.addParameter('w', tf.variable(tf.scalar(0), true));
  readonly mean = this.addParameter('bn.mean', tf.variable(tf.scalar(0), false));

  set(w: number, mean = w * 10): void {
    tf.tidy(() => {
      this.w.assign(tf.scalar(w));
      this.mean.assign(tf.scalar(mean));
    });
  }

  forward(_inputs: tf.Tensor, _samples: DataSample[] | undefined, _mode: ForwardMode): LossDict | DataSample[] | tf.Tensor {
    throw new Error('not used');
  }
}

export const scalarOf = (t: tf.Tensor | undefined): number => (t!.dataSync() as Float32Array)[0];

/**
 * A checkpoint format that keeps checkpoints in memory (files named `*.mem`), so checkpoint
 * flows can be tested without @trainkit/hook-checkpoint. Like a real format it snapshots the
 * tensors before returning, and `load` hands out fresh tensors the runner disposes.
 */
export class MemoryCheckpoint implements CheckpointFormat {
  static readonly store = new Map<string, Checkpoint>();
  readonly extensions = ['.mem'];

  async save(file: string, checkpoint: Checkpoint): Promise<void> {
    MemoryCheckpoint.store.set(file, copyTree(checkpoint) as Checkpoint);
  }

  async load(source: string): Promise<Checkpoint> {
    const c = MemoryCheckpoint.store.get(source);
    if (!c) throw new Error(`no checkpoint ${source}`);
    return copyTree(c) as Checkpoint;
  }

  static clear(): void {
    for (const c of MemoryCheckpoint.store.values()) disposeTree(c);
    MemoryCheckpoint.store.clear();
  }
}

function copyTree(v: unknown): unknown {
  if (v instanceof tf.Tensor) return tf.clone(v); // tfjs never changes data in place: a clone is a snapshot
  if (Array.isArray(v)) return v.map(copyTree);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyTree(x)]));
  return v;
}

function disposeTree(v: unknown): void {
  if (v instanceof tf.Tensor) v.dispose();
  else if (v && typeof v === 'object') for (const x of Object.values(v)) disposeTree(x);
}
