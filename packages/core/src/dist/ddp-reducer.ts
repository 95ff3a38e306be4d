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
 * `capBytes`, summed by the backend and divided by the world size. The last bucket carries one
 * extra value, this rank's stop vote, so all ranks stop after the same step.
 */
export function ddpGradientReducer(group: ProcessGroup, capBytes: number, stop: StopVote): GradientReducer {
  return {
    async reduce(grads: tf.Tensor[]): Promise<tf.Tensor[]> {
      const out: tf.Tensor[] = [];
      const buckets = bucketize(grads, capBytes);
      if (buckets.length === 0) buckets.push([]);
      try {
        for (let b = 0; b < buckets.length; b++) {
          const bucket = buckets[b];
          const last = b === buckets.length - 1;
          const n = bucket.reduce((s, t) => s + t.size, 0);
          const flat = new Float32Array(n + (last ? 1 : 0));
          const data = await Promise.all(bucket.map((t) => t.data<'float32'>()));
          let off = 0;
          for (const d of data) {
            flat.set(d, off);
            off += d.length;
          }
          if (last) flat[n] = stop.requested() ? 1 : 0;
          await group.allReduce(flat, 'sum');
          if (last && flat[n] > 0) stop.request();
          const inv = group.worldSize;
          for (let i = 0; i < n; i++) flat[i] /= inv;
          off = 0;
          for (const t of bucket) {
            out.push(tf.tensor(flat.subarray(off, off + t.size), t.shape, 'float32'));
            off += t.size;
          }
        }
      } catch (e) {
        for (const t of out) t.dispose();
        throw e;
      }
      return out;
    },
  };
}
