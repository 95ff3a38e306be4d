/**
 * What a collective backend (such as @trainkit/dist-gloo) gives core: one process group over all
 * ranks and its collectives on typed arrays. Every call resolves when this rank's part is done
 * and rejects (naming the rank and the operation) when a peer is gone or the timeout passes.
 */
export type CollectiveArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'product';

export interface ProcessGroup {
  readonly rank: number;
  readonly worldSize: number;
  /** In place; `mean` divides the sum by the world size (float arrays only). */
  allReduce(buffer: CollectiveArray, op?: ReduceOp): Promise<void>;
  /** In place: every rank ends with `root`'s contents. */
  broadcast(buffer: CollectiveArray, root?: number): Promise<void>;
  /** `output` holds worldSize x input.length elements, rank by rank. */
  allGather(input: CollectiveArray, output: CollectiveArray): Promise<void>;
  /** Like allGather, but only `root` receives (its `output`; others pass undefined). */
  gather(input: CollectiveArray, output: CollectiveArray | undefined, root?: number): Promise<void>;
  barrier(): Promise<void>;
  /** Leaves the group; later calls fail. */
  close(): Promise<void>;
}

/** Where and how the ranks meet, as the launcher's environment and `env_cfg.dist_cfg` say. */
export interface ConnectOptions {
  rank: number;
  worldSize: number;
  localRank: number;
  masterAddr: string;
  masterPort: number;
  /** Milliseconds for the rendezvous and for every collective. */
  timeoutMs: number;
  /** `env://` (TCP store on rank 0), `file:///shared/path` or `redis://host:port`. */
  initMethod: string;
}

/** Connects a process group; registered by a backend package under its `dist_cfg.backend` name. */
export type ProcessGroupFactory = (opts: ConnectOptions) => Promise<ProcessGroup>;
