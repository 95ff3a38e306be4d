/** One kernel (or wrapping op) tf.profile saw, with what the profiler keeps of it. */
export interface KernelRecord {
  name: string;
  /** Time the backend measured; NaN when the backend cannot time kernels (e.g. WebGL without timer queries). */
  timeMs: number;
  bytesAdded: number;
  /** Bytes of all live tensors right after the kernel. */
  totalBytes: number;
  tensorsAdded: number;
  inputShapes: Array<number[] | null>;
  outputShapes: number[][];
  /**
   * True for an op that runs other kernels under it (a custom-gradient op such as a fused loss):
   * its time includes theirs, which tf.profile lists just before it.
   */
  wraps: boolean;
}

/** One profiled train iteration. */
export interface ProfiledIteration {
  /** `runner.iter` of the iteration (0-based). */
  iter: number;
  /** Start, in ms since the window opened. */
  startMs: number;
  /** Wall time from this hook's beforeTrainIter to its afterTrainIter. */
  wallMs: number;
  kernels: KernelRecord[];
}

/** What a profiling window produced; passed to an `on_trace_ready` function. */
export interface ProfileResult {
  /** `epoch_1`, `iter_3-5`, ... (1-based, as in file names). */
  label: string;
  backend: string;
  iterations: ProfiledIteration[];
  /** The V8 CPU profile (`.cpuprofile` content), when `activity_with_cpu`. */
  cpuProfile?: unknown;
  /** The kernel summary table (also written next to the trace). */
  table: string;
  /** Files written for this window. */
  files: string[];
}
