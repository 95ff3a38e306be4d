import { type DistInfo, SINGLE_PROCESS } from './dist-env.js';
import type { ProcessGroup } from './process-group.js';

/**
 * The process-wide distributed state, as torch.distributed keeps its default group: set once
 * a run connects, read by samplers, metrics, hooks and the optimizer wrapper.
 */
let info: DistInfo = SINGLE_PROCESS;
let group: ProcessGroup | undefined;

export function getDistInfo(): DistInfo {
  return info;
}

/** Rank and world size (MMEngine's get_dist_info). */
export function getRank(): number {
  return info.rank;
}

export function getWorldSize(): number {
  return info.worldSize;
}

/** Rank 0 (or the only process): the one that writes logs, checkpoints and vis backends. */
export function isMainProcess(): boolean {
  return info.rank === 0;
}

/** Whether this process is one of several connected workers. */
export function isDistributed(): boolean {
  return info.worldSize > 1 && group !== undefined;
}

/** The connected group (undefined in one process). */
export function getProcessGroup(): ProcessGroup | undefined {
  return group;
}

/** Records this process's place; the runner calls it before it creates any file. */
export function setDistInfo(next: DistInfo): void {
  info = next;
}

export function setProcessGroup(next: ProcessGroup | undefined): void {
  group = next;
}

/** Leaves the group and returns to one process (end of a run, tests). */
export async function resetDist(): Promise<void> {
  const g = group;
  group = undefined;
  info = SINGLE_PROCESS;
  await g?.close();
}
