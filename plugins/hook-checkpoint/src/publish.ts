import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { type Checkpoint, disposeCheckpoint } from '@trainkit/core/checkpoint';
import type { Runner } from '@trainkit/core';
import { dataChecksum, encodeCheckpoint, fullChecksum, sealChecksum } from './format/layout.js';
import { readCheckpointFile } from './format/read.js';
import { writeEncoded } from './format/write.js';

/** A list as Python prints it, since MMEngine users grep their logs for these lines. */
export const pyList = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;

/**
 * Writes a copy of `source` that holds only `keys` (typically meta and state_dict), named
 * `<name>-<first 8 hex of its sha256>.safetensors`, so `sha256sum` of the file starts with the
 * suffix in its name (the convention of torch.hub). Returns the new path.
 */
export async function publishCheckpoint(runner: Runner, source: string, keys: readonly string[]): Promise<string> {
  const checkpoint = await readCheckpointFile(source);
  try {
    const removed = Object.keys(checkpoint).filter((k) => !keys.includes(k));
    if (removed.length) {
      runner.logger.info(
        `Key ${pyList(removed)} will be removed because they are not found in published_keys. If you want to keep them, please set \`${pyList(removed)}\` in published_keys`,
      );
    }
    const kept = Object.fromEntries(Object.entries(checkpoint).filter(([k]) => keys.includes(k))) as Checkpoint;
    const enc = await encodeCheckpoint(kept);
    sealChecksum(enc, fullChecksum(dataChecksum(enc.chunks), enc.stateBytes));
    const hash = createHash('sha256');
    hash.update(enc.header);
    for (const c of enc.chunks) hash.update(c);
    const ext = path.extname(source);
    const target = `${source.slice(0, source.length - ext.length)}-${hash.digest('hex').slice(0, 8)}${ext}`;
    await writeEncoded(target, enc);
    runner.logger.info(`The checkpoint (${source}) is published to ${target}.`);
    return target;
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
