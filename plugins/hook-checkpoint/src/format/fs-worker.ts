import { Worker } from 'node:worker_threads';
import { CheckpointError } from '@trainkit/core';
import { writeError } from './atomic-file.js';

/**
 * File work on a worker thread: checksums of written data (read back from the page cache),
 * flushing, renaming and small atomic writes. A background save needs this because the training
 * thread lets the event loop run only between iterations: every step it had to schedule would
 * wait for one, so the whole tail of a save runs here as one job instead.
 * Plain JS source so that it runs the same from TypeScript sources and from the build.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const buf = Buffer.allocUnsafe(8 << 20);

function crcRange(fd, start, length) {
  let crc = 0, pos = start, left = length;
  while (left > 0) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, left), pos);
    if (n === 0) throw new Error('truncated: the file ended ' + left + ' bytes early');
    crc = zlib.crc32(buf.subarray(0, n), crc);
    pos += n;
    left -= n;
  }
  return crc;
}

function syncDir(dir) {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

function withFd(file, flags, fn) {
  const fd = fs.openSync(file, flags);
  try { return fn(fd); } finally { fs.closeSync(fd); }
}

const jobs = {
  crc: ({ file, start, length }) => withFd(file, 'r', (fd) => crcRange(fd, start, length)),
  // a descriptor of the main thread (threads share them): the very file it reads, not a path
  crcFd: ({ fd, start, length }) => crcRange(fd, start, length),
  // checksum the data as written, fill in the header's checksum, flush, and give the file its name
  seal: ({ temp, file, start, length, tail, at }) => {
    try {
      withFd(temp, 'r+', (fd) => {
        const crc = zlib.crc32(tail, crcRange(fd, start, length)) >>> 0;
        fs.writeSync(fd, crc.toString(16).padStart(8, '0'), at, 'latin1');
        fs.fsyncSync(fd);
      });
      fs.renameSync(temp, file);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      throw e;
    }
    syncDir(path.dirname(file));
  },
  text: ({ temp, file, text }) => {
    try {
      withFd(temp, 'wx', (fd) => { fs.writeSync(fd, text); fs.fsyncSync(fd); });
      fs.renameSync(temp, file);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      throw e;
    }
    syncDir(path.dirname(file));
  },
};

parentPort.on('message', ({ id, job, args }) => {
  try {
    parentPort.postMessage({ id, result: jobs[job](args) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

interface Pending {
  resolve(result: unknown): void;
  reject(e: Error): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.on('message', (m: { id: number; result?: unknown; error?: string; code?: string }) => {
    const job = pending.get(m.id);
    if (!job) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.error === undefined) job.resolve(m.result);
    else job.reject(Object.assign(new Error(m.error), { code: m.code }));
  });
  const fail = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const job of pending.values()) job.reject(new CheckpointError(`the checkpoint file thread failed: ${e.message}`));
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  // an idle worker must not keep the process alive
  w.unref();
  worker = w;
  return w;
}

function run<T>(job: string, args: Record<string, unknown>): Promise<T> {
  const w = getWorker();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
    // while a job is pending the process waits for it
    w.ref();
    w.postMessage({ id, job, args });
  });
}

/** CRC-32 of `length` bytes of `file` from `start`. */
export async function checksumFileRange(file: string, start: number, length: number): Promise<number> {
  try {
    return await run<number>('crc', { file, start, length });
  } catch (e) {
    throw new CheckpointError(`${file}: ${(e as Error).message}`);
  }
}

/**
 * CRC-32 of `length` bytes from `start` of the file open as `fd` in this process, read on the
 * file thread. The caller keeps `fd` open until this settles.
 */
export async function checksumOpenFileRange(fd: number, file: string, start: number, length: number): Promise<number> {
  try {
    return await run<number>('crcFd', { fd, start, length });
  } catch (e) {
    throw new CheckpointError(`${file}: ${(e as Error).message}`);
  }
}

export interface SealJob {
  /** The temporary file holding header and data, checksum slot still empty. */
  temp: string;
  file: string;
  dataStart: number;
  dataBytes: number;
  /** The bytes the checksum covers after the data (the state JSON). */
  tail: Uint8Array;
  /** File offset of the 8 hex digits of the checksum. */
  checksumAt: number;
}

/** Checksums, completes, flushes and renames a written temporary file (removed on failure). */
export async function sealInWorker(job: SealJob): Promise<void> {
  try {
    await run('seal', { temp: job.temp, file: job.file, start: job.dataStart, length: job.dataBytes, tail: job.tail, at: job.checksumAt });
  } catch (e) {
    throw writeError(job.file, e);
  }
}

/** Writes a small text file atomically (temporary file, flush, rename, flush of the folder). */
export async function writeTextInWorker(temp: string, file: string, text: string): Promise<void> {
  try {
    await run('text', { temp, file, text });
  } catch (e) {
    throw writeError(file, e);
  }
}
