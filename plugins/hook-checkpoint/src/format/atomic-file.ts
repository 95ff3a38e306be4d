import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { CheckpointError } from '@trainkit/core';

/** Temporary files are `.<name>.tmp-<pid>-<random>` next to their target (same file system, so rename is atomic). */
const TEMP = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

export function isTempFile(name: string): boolean {
  return TEMP.test(name);
}

/**
 * Writes `file` so that it is either absent, its old version, or complete, whatever happens:
 * the data goes to a temporary file in the same folder, is flushed to disk, renamed over
 * `file`, and the folder is flushed so the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, write: (fh: FileHandle, tempPath: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(file);
  const temp = tempPathFor(file);
  let fh: FileHandle | undefined;
  try {
    fh = await fs.promises.open(temp, 'wx', 0o644);
    await write(fh, temp);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.promises.rename(temp, file);
  } catch (e) {
    await fh?.close().catch(() => {});
    await fs.promises.rm(temp, { force: true }).catch(() => {});
    throw writeError(file, e);
  }
  await syncDir(dir);
}

/** A fresh temporary name next to `file`. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Writes all `buffers` at `position` with as few system calls as the OS allows. */
export async function writeAll(fh: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  let pending = buffers.filter((b) => b.byteLength > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await fh.writev(pending as Uint8Array[], position);
    if (bytesWritten <= 0) throw new Error('the write made no progress');
    position += bytesWritten;
    pending = dropBytes(pending, bytesWritten);
  }
}

/** `buffers` without their first `n` bytes (after a partial write). */
export function dropBytes(buffers: Uint8Array[], n: number): Uint8Array[] {
  let i = 0;
  while (i < buffers.length && n >= buffers[i].byteLength) n -= buffers[i++].byteLength;
  const rest = buffers.slice(i);
  if (n > 0) rest[0] = rest[0].subarray(n);
  return rest;
}

/** Fills `buf` from `position`; a file that ends first is reported as truncated. */
export async function readExactly(fh: FileHandle, buf: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < buf.byteLength) {
    // reads are capped by the OS (about 2 GB on Linux), hence the loop
    const { bytesRead } = await fh.read(buf, done, Math.min(buf.byteLength - done, 0x40000000), position + done);
    if (bytesRead === 0)
      throw new CheckpointError(`${file}: truncated: the file ended ${buf.byteLength - done} bytes early (it was cut short; use another checkpoint)`);
    done += bytesRead;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open folders for flushing; its renames are durable on their own terms
  if (process.platform === 'win32') return;
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Fails before writing anything when the disk cannot hold `bytes` more (a cheap system call). */
export function ensureFreeSpace(file: string, bytes: number): void {
  const dir = path.dirname(file);
  let free: number;
  try {
    const s = fs.statfsSync(dir);
    free = Number(s.bavail) * Number(s.bsize);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw writeError(file, e);
    return; // file systems without statfs: the write itself reports a full disk
  }
  if (free < bytes) {
    throw new CheckpointError(
      `${file}: not enough free disk space: the checkpoint needs ${MB(bytes)}, ${dir} has ${MB(free)} free. Free some space, lower max_keep_ckpts, or set out_dir to another disk; existing checkpoints were not touched`,
    );
  }
}

/** A write failure as a CheckpointError that says what to do. */
export function writeError(file: string, e: unknown): CheckpointError {
  if (e instanceof CheckpointError) return e;
  const err = e as NodeJS.ErrnoException;
  const dir = path.dirname(file);
  const reason: Record<string, string> = {
    ENOSPC: `the disk is full. Free some space, lower max_keep_ckpts, or set out_dir to another disk`,
    EDQUOT: `the disk quota is exhausted. Free some space or set out_dir to another disk`,
    EACCES: `permission denied in ${dir}. Set out_dir to a folder you can write to`,
    EPERM: `permission denied in ${dir}. Set out_dir to a folder you can write to`,
    EROFS: `${dir} is on a read-only file system. Set out_dir to a writable folder`,
    ENOENT: `the folder ${dir} does not exist`,
    ENOTDIR: `a part of ${dir} is a file, not a folder. Set out_dir to a folder`,
  };
  const why = (err?.code && reason[err.code]) || err?.message || String(e);
  const out = new CheckpointError(`cannot write checkpoint ${file}: ${why}; existing checkpoints were not touched (${err?.code ?? 'error'})`);
  out.cause = e;
  return out;
}

/** Removes temporary files that killed processes left behind in `dir` (not those of live ones). */
export function removeStaleTempFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!isTempFile(name)) continue;
    const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
