import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_FORMATS } from '@trainkit/core';
import type { Checkpoint, CheckpointFormat } from '@trainkit/core/checkpoint';
import { restore, snapshot, type Snapshot } from './snapshot.js';

const store = new Map<string, Snapshot>();

/**
 * A checkpoint format that keeps files in memory, so resume can be tested through the real
 * runner without the checkpoint plugin. Like a file format it copies tensor data on save and
 * goes through JSON, so nothing the run holds leaks into the loaded checkpoint.
 */
class MemoryCheckpoint implements CheckpointFormat {
  readonly extensions = ['.memckpt'];

  async save(file: string, checkpoint: Checkpoint): Promise<void> {
    store.set(file, snapshot(checkpoint));
  }

  async load(source: string): Promise<Checkpoint> {
    const s = store.get(source);
    if (!s) throw new Error(`no in-memory checkpoint ${source}`);
    return restore<Checkpoint>(s);
  }
}

export function registerMemoryCheckpoint(): void {
  if (!CHECKPOINT_FORMATS.has('MemoryCheckpoint')) CHECKPOINT_FORMATS.register('MemoryCheckpoint', MemoryCheckpoint, { from: 'optim tests' });
}

export { tf };
