import * as path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Hook } from './hook.js';

/**
 * The contract of the hook that owns a run's checkpoints (CheckpointHook): it declares their
 * folder, and the runner keeps that one value (`runner.checkpointDir`) for auto-resume, the run
 * summary and the hook itself. Without such a hook checkpoints are looked for in work_dir.
 */
export interface CheckpointFolderOwner {
  /** The folder checkpoints go to for this `workDir`; computed only, nothing is created. */
  checkpointFolder(workDir: string): string;
}

export function ownsCheckpointFolder<T extends object>(hook: T): hook is T & CheckpointFolderOwner {
  return typeof (hook as Partial<CheckpointFolderOwner>).checkpointFolder === 'function';
}

/** The declared checkpoint folder (absolute), or undefined when no hook owns checkpoints. */
export function checkpointFolderOf(hooks: readonly Hook[], workDir: string): string | undefined {
  const owners = hooks.filter(ownsCheckpointFolder);
  if (owners.length > 1) {
    const names = owners.map((h) => h.displayName).join(' and ');
    throw new ConfigError(`two hooks declare the checkpoint folder: ${names}`, {
      path: 'custom_hooks',
      fix: 'keep one hook that saves checkpoints (default_hooks.checkpoint), or set it to null when a custom hook replaces it',
    });
  }
  return owners[0] ? path.resolve(owners[0].checkpointFolder(workDir)) : undefined;
}
