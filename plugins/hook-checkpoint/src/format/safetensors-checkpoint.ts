import * as fs from 'node:fs';
import type { Checkpoint, CheckpointFormat, CheckpointSaveOptions } from '@trainkit/core/checkpoint';
import { CheckpointError } from '@trainkit/core';
import { downloadToCache, isUrl } from './download.js';
import { readCheckpointFile, verifyCheckpointFile } from './read.js';
import { writeCheckpointFile } from './write.js';

/**
 * trainkit's checkpoint file: the safetensors layout (so Python's `safetensors` opens the
 * weights) with the non-tensor state as JSON in the header's metadata, a format version and a
 * CRC-32 checksum. Registered in CHECKPOINT_FORMATS as `SafetensorsCheckpoint`.
 */
export class SafetensorsCheckpoint implements CheckpointFormat {
  readonly extensions = ['.safetensors'] as const;

  save(file: string, checkpoint: Checkpoint, options: CheckpointSaveOptions = {}): Promise<void> {
    return writeCheckpointFile(file, checkpoint, { background: options.background });
  }

  /** Reads a local file, or an http(s) URL through the download cache. */
  async load(source: string): Promise<Checkpoint> {
    if (!isUrl(source)) return readCheckpointFile(source);
    const file = await downloadToCache(source);
    try {
      return await readCheckpointFile(file);
    } catch (e) {
      // a damaged cache entry would otherwise fail every later run the same way
      if (e instanceof CheckpointError) {
        fs.rmSync(file, { force: true });
        e.message += ` (downloaded from ${source}; the cached copy was deleted, so the next load downloads it again)`;
      }
      throw e;
    }
  }

  verify(file: string): Promise<boolean> {
    return verifyCheckpointFile(file);
  }
}
