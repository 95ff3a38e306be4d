import * as fs from 'node:fs';
import * as os from 'node:os';
import { CheckpointError } from '@trainkit/core';
import { dropBytes, ensureFreeSpace, tempPathFor, writeAll, writeError, writeFileAtomic } from './atomic-file.js';
import { sealInWorker } from './fs-worker.js';
import { type EncodedCheckpoint, dataChecksum, encodeCheckpoint, fullChecksum, sealChecksum } from './layout.js';

export interface WriteOptions {
  /**
   * Training goes on while this file is written: the checksum, flush and rename then run on a
   * worker thread, and the training thread only starts the write.
   */
  background?: boolean;
}

/**
 * Writes a checkpoint file atomically. Everything the checkpoint holds is snapshotted before
 * the first await, so the caller may change weights as soon as this returns its promise.
 */
export function writeCheckpointFile(file: string, checkpoint: Record<string, unknown>, opts: WriteOptions = {}): Promise<void> {
  if (os.endianness() !== 'LE') return Promise.reject(new CheckpointError('safetensors files are little-endian; this machine is big-endian'));
  return encodeCheckpoint(checkpoint).then((enc) => (opts.background ? writeInBackground(file, enc) : writeEncoded(file, enc)));
}

/** The blocking write: the thread pool writes while this thread computes the checksum. */
export async function writeEncoded(file: string, enc: EncodedCheckpoint): Promise<void> {
  ensureFreeSpace(file, enc.header.byteLength + enc.dataBytes);
  await writeFileAtomic(file, async (fh) => {
    const writing = writeAll(fh, [enc.header, ...enc.chunks], 0);
    let dataCrc: number;
    try {
      dataCrc = dataChecksum(enc.chunks);
    } finally {
      await writing;
    }
    const sealed = sealChecksum(enc, fullChecksum(dataCrc, enc.stateBytes));
    await writeAll(fh, [sealed], enc.checksumAt);
  });
}

function writev(fd: number, buffers: Uint8Array[], position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.writev(fd, buffers, position, (e, n) => (e ? reject(e) : resolve(n))));
}

/**
 * The background write, in as few event-loop turns as possible (the training thread yields
 * only between iterations): one write of everything from the thread pool, then one job on the
 * file worker that checksums what was written, fills in the checksum, flushes and renames.
 */
async function writeInBackground(file: string, enc: EncodedCheckpoint): Promise<void> {
  ensureFreeSpace(file, enc.header.byteLength + enc.dataBytes);
  const temp = tempPathFor(file);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
  } catch (e) {
    throw writeError(file, e);
  }
  try {
    let pending = [enc.header, ...enc.chunks].filter((b) => b.byteLength > 0);
    let position = 0;
    while (pending.length > 0) {
      const written = await writev(fd, pending, position);
      if (written <= 0) throw new Error('the write made no progress');
      position += written;
      pending = dropBytes(pending, written);
    }
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw writeError(file, e);
  }
  fs.closeSync(fd);
  await sealInWorker({ temp, file, dataStart: enc.header.byteLength, dataBytes: enc.dataBytes, tail: enc.stateBytes, checksumAt: enc.checksumAt });
}
