import * as tf from '@tensorflow/tfjs';

/**
 * A state dict as a checkpoint keeps it: the tree as JSON text with every tensor replaced by a
 * placeholder, and copies of the tensors' data. Restoring builds fresh tensors, so nothing of
 * the saving run is shared with the loading one.
 */
export interface Snapshot {
  json: string;
  tensors: Array<{ shape: number[]; data: Float32Array }>;
}

export function snapshot(tree: unknown): Snapshot {
  const tensors: Snapshot['tensors'] = [];
  const json = JSON.stringify(tree, (_k, v) => {
    if (v instanceof tf.Tensor) {
      tensors.push({ shape: v.shape, data: Float32Array.from(v.dataSync() as Float32Array) });
      return { __tensor__: tensors.length - 1 };
    }
    return v;
  });
  return { json, tensors };
}

/** The tree back, with new tensors (the caller disposes them with `disposeTree`). */
export function restore<T>(s: Snapshot): T {
  return JSON.parse(s.json, (_k, v) => {
    if (v && typeof v === 'object' && '__tensor__' in v) {
      const t = s.tensors[v.__tensor__ as number];
      return tf.tensor(t.data, t.shape, 'float32');
    }
    return v;
  }) as T;
}

export function disposeTree(v: unknown): void {
  if (v instanceof tf.Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeTree);
  else if (v && typeof v === 'object') Object.values(v).forEach(disposeTree);
}
