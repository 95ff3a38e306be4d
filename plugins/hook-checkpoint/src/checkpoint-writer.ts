import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Runner } from '@trainkit/core';
import type { SaveOptions } from '@trainkit/core/checkpoint';
import { tempPathFor } from './format/atomic-file.js';
import { writeTextInWorker } from './format/fs-worker.js';

/** What to do once a checkpoint file is complete and durable. */
export interface AfterWrite {
  /** Point `<work_dir>/last_checkpoint` at it. */
  updateLast?: boolean;
  /** Files it supersedes (rotated-out or previous best), deleted only now, with the line to log. */
  replaces?: Array<{ file: string; log?: string }>;
}

/**
 * Saves checkpoints one at a time. Blocking, `save` returns when the file is durable. In the
 * background (`async_save`) it returns once the checkpoint is snapshotted; the next save, and
 * `drain`, wait for the write in flight first, so at most one is ever pending. Old files are
 * deleted and `last_checkpoint` is updated only after the new file is durable, so a failed or
 * killed save never costs an older checkpoint.
 */
export class CheckpointWriter {
  private inFlight: Promise<void> | undefined;

  constructor(readonly background: boolean) {}

  async save(runner: Runner, outDir: string, filename: string, opts: SaveOptions, after: AfterWrite = {}): Promise<string> {
    await this.drain();
    const { file, written } = await runner.startSaveCheckpoint(outDir, filename, { ...opts, background: this.background });
    const done = written.then(() => finish(runner, outDir, file, after));
    if (!this.background) {
      await done;
      return file;
    }
    this.inFlight = done;
    done.catch((e: Error) => runner.logger.error(`background checkpoint save failed (training stops at the next save): ${e.message}`));
    return file;
  }

  /** Waits for the write in flight, if any; its failure is thrown here. */
  async drain(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = undefined;
    await pending;
  }

  get pending(): boolean {
    return this.inFlight !== undefined;
  }
}

/** Whether `file` lies inside `dir` (after resolving both). */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function finish(runner: Runner, outDir: string, file: string, after: AfterWrite): Promise<void> {
  if (after.updateLast) {
    const last = path.join(runner.workDir, 'last_checkpoint');
    // relative to work_dir, so that a copied or moved run folder still finds its checkpoint
    await writeTextInWorker(tempPathFor(last), last, path.relative(runner.workDir, file));
  }
  for (const old of after.replaces ?? []) {
    if (path.resolve(old.file) === path.resolve(file) || !fs.existsSync(old.file)) continue;
    // a run deletes only its own files: a path from another run's checkpoint is left alone
    if (!isInside(old.file, outDir) && !isInside(old.file, runner.workDir)) {
      runner.logger.warn(`not deleting ${old.file}: it is outside this run's folders (${outDir}); it came from the checkpoint this run resumed`);
      continue;
    }
    try {
      fs.rmSync(old.file, { recursive: true, force: true });
      if (old.log) runner.logger.info(old.log);
    } catch (e) {
      runner.logger.warn(`could not delete the old checkpoint ${old.file}: ${(e as Error).message}`);
    }
  }
}
