import * as tf from '@tensorflow/tfjs';
import type { GradientReducer } from './grad-sync.js';
import type { ProcessGroup } from './process-group.js';
import { bucketize } from './tensor-collectives.js';

/** A stop request every rank must agree on (a signal reaches the workers at different steps). */
export interface StopVote {
  requested(): boolean;
  request(): void;
}

/**
 * DDP's gradient averaging: gradients in parameter order, flattened into buckets of at most
 * `capBytes`, divided by the world size (before the sum, as DDP does), summed by the backend and
 * written back. The last bucket carries one extra value, this rank's stop vote, so all ranks stop
 * after the same step.
 *
 * Each bucket is flattened on the device (one concat, one read instead of one per gradient: a read
 * allocates host memory, the per-step cost that matters). Buckets are pipelined: the collective of
 * one runs on the backend's thread while this thread reads the next, and writes a reduced bucket
 * back while later ones are still travelling.
 */
export function ddpGradientReducer(group: ProcessGroup, capBytes: number, stop: StopVote): GradientReducer {
  return {
    async reduce(grads: tf.Tensor[]): Promise<tf.Tensor[]> {
      const buckets = bucketize(grads, capBytes);
      if (buckets.length === 0) buckets.push([]);
      const inFlight: Array<Promise<Float32Array>> = [];
      const out: tf.Tensor[] = [];
      try {
        for (let b = 0; b < buckets.length; b++) {
          const vote = b === buckets.length - 1 ? stop.requested() : undefined;
          const flat = await readBucket(buckets[b], group.worldSize, vote);
          const reduced = group.allReduce(flat, 'sum').then(() => flat);
          // awaited in order below; a later bucket's failure must not count as unhandled meanwhile
          reduced.catch(() => {});
          inFlight.push(reduced);
        }
        for (let b = 0; b < buckets.length; b++) {
          const flat = await inFlight[b];
          if (b === buckets.length - 1 && flat[flat.length - 1] > 0) stop.request();
          let off = 0;
          for (const t of buckets[b]) {
            out.push(tf.tensor(flat.subarray(off, off + t.size), t.shape, 'float32'));
            off += t.size;
          }
        }
      } catch (e) {
        for (const t of out) t.dispose();
        // the group fails every later call once one has failed; settle them so none is unhandled
        await Promise.allSettled(inFlight);
        throw e;
      }
      return out;
    },
  };
}

/** A bucket's gradients divided by `worldSize`, as one host array; `vote` (last bucket) appends the stop vote. */
async function readBucket(bucket: tf.Tensor[], worldSize: number, vote: boolean | undefined): Promise<Float32Array> {
  const flat = tf.tidy(() => {
    const parts = bucket.map((t) => t.reshape([-1]));
    if (vote !== undefined) parts.push(tf.tensor1d([vote ? 1 : 0]));
    return tf.div(parts.length === 1 ? parts[0] : tf.concat(parts), worldSize);
  });
  try {
    return (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
}
