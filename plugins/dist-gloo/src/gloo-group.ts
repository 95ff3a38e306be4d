import * as fs from 'node:fs';
import * as os from 'node:os';
import type { CollectiveArray, ProcessGroup, ReduceOp } from '@trainkit/core/dist';
import { TrainkitError } from '@trainkit/core';
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
  /** Every rank's host and pid, learnt after connecting: names a dead peer on this host. */
  private peers: Array<{ host: string; pid: number }> = [];

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

  /** Exchanges host names and pids (one allgather of fixed-size records). */
  async learnPeers(): Promise<void> {
    const width = 64;
    const mine = new Int32Array(width + 1);
    const host = Buffer.from(os.hostname().slice(0, width), 'utf8');
    for (let i = 0; i < host.length && i < width; i++) mine[i] = host[i];
    mine[width] = process.pid;
    const all = new Int32Array((width + 1) * this.worldSize);
    await this.allGather(mine, all);
    this.peers = Array.from({ length: this.worldSize }, (_, r) => {
      const rec = all.subarray(r * (width + 1), (r + 1) * (width + 1));
      const bytes = Array.from(rec.subarray(0, width)).filter((b) => b !== 0);
      return { host: Buffer.from(bytes).toString('utf8'), pid: rec[width] };
    });
  }

  /**
   * Ranks on this host whose process is gone (others' hosts cannot be checked from here). A peer's
   * sockets close while it exits, a moment before it is gone: look for up to a second.
   */
  private async deadPeers(): Promise<number[]> {
    const here = os.hostname();
    const local = this.peers.map((p, r) => ({ ...p, r })).filter((p) => p.r !== this.rank && p.host === here);
    for (let attempt = 0; attempt < 10 && local.length; attempt++) {
      const dead = local.filter((p) => !alive(p.pid)).map((p) => p.r);
      if (dead.length) return dead;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return [];
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    this.native.close();
    this.broken ??= new Error('the process group was closed');
  }

  private checkRoot(root: number): void {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize)
      throw new RangeError(`root ${root} is not a rank of this group (0..${this.worldSize - 1})`);
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
        const dead = await this.deadPeers();
        const cause = dead.length
          ? `rank ${dead.join(', rank ')} ${dead.length > 1 ? 'have' : 'has'} exited (pid ${dead.map((r) => this.peers[r].pid).join(', ')})`
          : `another rank has stopped or is unreachable (timeout ${this.timeoutMs / 1000} s, env_cfg.dist_cfg.timeout)`;
        throw new CollectiveError(`rank ${this.rank} of ${this.worldSize}: ${what} failed after ${secs} s: ${cause}\n  gloo: ${(e as Error).message}`);
      }
    });
    this.queue = next.catch(() => {});
    return next;
  }
}

/** Whether a process runs (an exited one waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}
