import * as tf from '@tensorflow/tfjs';
import type { KernelRecord } from './types.js';

/**
 * Records every kernel TensorFlow.js runs between `start()` and `stop()`. `tf.profile` takes a
 * function and records while its promise is pending, so the function returns a promise that
 * `stop()` resolves: the train step between two hook points is profiled without wrapping it.
 */
export class KernelRecorder {
  private finish: (() => void) | undefined;
  private pending: ReturnType<typeof tf.profile> | undefined;

  get recording(): boolean {
    return this.finish !== undefined;
  }

  start(): void {
    if (this.finish) return;
    const ended = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    // tf.profile switches profiling on synchronously, before its first await
    this.pending = tf.profile(() => ended as unknown as tf.TensorContainer);
  }

  /** Ends the recording; the records come once the backend has reported every kernel's time. */
  async stop(): Promise<KernelRecord[]> {
    const finish = this.finish;
    const pending = this.pending;
    this.finish = undefined;
    this.pending = undefined;
    if (!finish || !pending) return [];
    finish();
    const info = await pending;
    const backend = tf.getBackend();
    return info.kernels.map((k: Awaited<ReturnType<typeof tf.profile>>['kernels'][number]) => ({
      name: k.name,
      timeMs: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : Number.NaN,
      bytesAdded: k.bytesAdded,
      totalBytes: k.totalBytesSnapshot,
      tensorsAdded: k.tensorsAdded,
      inputShapes: k.inputShapes as Array<number[] | null>,
      outputShapes: k.outputShapes as number[][],
      // names that are not kernels of the backend are custom-gradient ops wrapping kernels
      wraps: tf.getKernel(k.name, backend) === undefined,
    }));
  }
}
