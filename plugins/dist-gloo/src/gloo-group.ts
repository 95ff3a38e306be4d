import { type CollectiveArray, type ProcessGroup, type ReduceOp, TrainkitError } from '@trainkit/core';
import type { NativeGroup } from './native.js';

/** A collective that failed: a peer died, the network broke, or the timeout passed. */
export class CollectiveError extends TrainkitError {}

/**
 * Gloo's collectives for one rank. Calls are queued so at most one runs at a time (the ranks
 * must issue them in the same order, as with torch.distributed); each runs on a worker thread.
 */
export class GlooProcessGroup implements ProcessGroup {
  private queue: Promise<unknown> = Promise.resolve();
  private broken: Error | undefined;

  constructor(
    private readonly native: NativeGroup,
    readonly rank: number,
    readonly worldSize: number,
    readonly timeoutMs: number,
  ) {}

  allReduce(buffer: CollectiveArray, op: ReduceOp = 'sum'): Promise<void> {
    if (op === 'mean' && !(buffer instanceof Float32Array || buffer instanceof Float64Array)) {
      return Promise.reject(new TypeError('allReduce mean needs a Float32Array or Float64Array'));
    }
    return this.run('allreduce', async () => {
      await this.native.allreduce(buffer, op === 'mean' ? 'sum' : op, this.timeoutMs);
      if (op === 'mean') for (let i = 0; i < buffer.length; i++) buffer[i] /= this.worldSize;
    });
  }

  broadcast(buffer: CollectiveArray, root = 0): Promise<void> {
    this.checkRoot(root);
    return this.run('broadcast', () => this.native.broadcast(buffer, root, this.timeoutMs));
  }

  allGather(input: CollectiveArray, output: CollectiveArray): Promise<void> {
    return this.run('allgather', () => this.native.allgather(input, output, this.timeoutMs));
  }

  gather(input: CollectiveArray, output: CollectiveArray | undefined, root = 0): Promise<void> {
    this.checkRoot(root);
    if (this.rank === root && !output) return Promise.reject(new TypeError(`gather: rank ${root} (the root) needs an output array`));
    return this.run('gather', () => this.native.gather(input, this.rank === root ? output! : null, root, this.timeoutMs));
  }

  barrier(): Promise<void> {
    return this.run('barrier', () => this.native.barrier(this.timeoutMs));
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    this.native.close();
    this.broken ??= new Error('the process group was closed');
  }

  private checkRoot(root: number): void {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize) throw new RangeError(`root ${root} is not a rank of this group (0..${this.worldSize - 1})`);
  }

  private run(what: string, call: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.broken) throw new CollectiveError(`rank ${this.rank}: ${what} refused: an earlier collective failed (${this.broken.message})`);
      const started = Date.now();
      try {
        await call();
      } catch (e) {
        this.broken = e as Error;
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        throw new CollectiveError(
          `rank ${this.rank} of ${this.worldSize}: ${what} failed after ${secs} s: ${(e as Error).message}\n  another rank has stopped or is unreachable (timeout ${this.timeoutMs / 1000} s, env_cfg.dist_cfg.timeout); the launcher names the rank that exited first`,
        );
      }
    });
    this.queue = next.catch(() => {});
    return next;
  }
}
