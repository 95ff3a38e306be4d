import { constants } from 'node:buffer';
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import type { Checkpoint } from '@trainkit/core/checkpoint';
import { CheckpointError } from '@trainkit/core';
import { checksumFileRange, checksumOpenFileRange } from './fs-worker.js';
import { DTYPE_BYTES, type SafetensorsDtype, isSafetensorsDtype } from './dtypes.js';
import { FORMAT_VERSION, META_CHECKSUM, META_STATE, META_VERSION, formatChecksum, fullChecksum, parseChecksum } from './layout.js';
import { readExactly } from './atomic-file.js';
import { TENSOR_REF, unflattenState } from './state-tree.js';

/** The safetensors reference implementation refuses headers above this size. */
const MAX_HEADER_BYTES = 100_000_000;
const MAX_LENGTH = constants.MAX_LENGTH;
/** From this size the checksum runs on the file thread while the main read runs (below it, a thread's start costs more than it saves). */
const PARALLEL_CHECKSUM_BYTES = 16 << 20;

export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A validated safetensors header. */
export interface ParsedHeader {
  dataStart: number;
  dataBytes: number;
  tensors: Map<string, TensorEntry>;
  /** Present for files trainkit wrote; absent for plain safetensors weights from elsewhere. */
  trainkit?: { checksum: number; state: string };
}

const notSafetensors = (file: string, why: string) =>
  new CheckpointError(
    `${file}: not a safetensors checkpoint (${why}). load_from and resume need a .safetensors file written by trainkit or by the safetensors library`,
  );
const corrupted = (file: string, why: string) => new CheckpointError(`${file}: corrupted checkpoint: ${why}. Use another checkpoint`);

/** Reads and checks the header: its length, its JSON, and that the tensors tile the data exactly. */
export async function readHeader(fh: FileHandle, file: string, size: number): Promise<ParsedHeader> {
  if (size < 8) throw new CheckpointError(`${file}: truncated: ${size} bytes, less than the 8-byte length that starts a safetensors file`);
  const prefix = Buffer.alloc(8);
  await readExactly(fh, prefix, 0, file);
  const declared = prefix.readBigUInt64LE(0);
  if (declared === 0n || declared > BigInt(MAX_HEADER_BYTES)) throw notSafetensors(file, `its first 8 bytes give a header length of ${declared}`);
  const headerBytes = Number(declared);
  const json = Buffer.alloc(Math.min(headerBytes, size - 8));
  await readExactly(fh, json, 8, file);
  if (json.length === 0 || json[0] !== 0x7b) throw notSafetensors(file, 'no JSON header after the length');
  if (json.length < headerBytes)
    throw new CheckpointError(
      `${file}: truncated: the header alone should be ${headerBytes} bytes, the file has ${size} (it was cut short; use another checkpoint)`,
    );
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(json.toString('utf8'));
  } catch (e) {
    throw corrupted(file, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw corrupted(file, 'the header is not a JSON object');
  return checkHeader(header, file, 8 + headerBytes, size);
}

function checkHeader(header: Record<string, unknown>, file: string, dataStart: number, size: number): ParsedHeader {
  const tensors = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const off = e?.data_offsets;
    if (!isSafetensorsDtype(e?.dtype)) throw corrupted(file, `tensor "${name}" has an unknown dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw corrupted(file, `tensor "${name}" has a bad shape`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[1] < off[0])
      throw corrupted(file, `tensor "${name}" has bad data_offsets`);
    const bytes = (e.shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[e.dtype];
    if (off[1] - off[0] !== bytes) throw corrupted(file, `tensor "${name}" has ${off[1] - off[0]} bytes of data for shape [${e.shape}] of ${e.dtype}`);
    tensors.set(name, { dtype: e.dtype, shape: e.shape as number[], begin: off[0], end: off[1] });
  }
  // the data section must be covered exactly: no gaps, no overlaps, nothing after it
  const spans = [...tensors.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin !== covered) throw corrupted(file, `the tensor data has ${s.begin > covered ? 'a gap' : 'overlapping tensors'} at byte ${covered}`);
    covered = s.end;
  }
  const dataBytes = size - dataStart;
  if (dataBytes < covered)
    throw new CheckpointError(
      `${file}: truncated: the header describes ${covered} bytes of tensor data, the file holds ${dataBytes} (it was cut short; use another checkpoint)`,
    );
  if (dataBytes > covered) throw corrupted(file, `${dataBytes - covered} unexpected bytes follow the tensor data`);
  return { dataStart, dataBytes, tensors, trainkit: trainkitMetadata(header.__metadata__, file) };
}

function trainkitMetadata(meta: unknown, file: string): ParsedHeader['trainkit'] {
  if (meta === undefined || meta === null) return undefined;
  if (typeof meta !== 'object' || Array.isArray(meta)) throw corrupted(file, '__metadata__ is not an object');
  const m = meta as Record<string, unknown>;
  if (m[META_VERSION] === undefined) return undefined;
  const version = Number(m[META_VERSION]);
  if (!Number.isInteger(version) || version < 1) throw corrupted(file, `bad format version ${JSON.stringify(m[META_VERSION])}`);
  if (version > FORMAT_VERSION)
    throw new CheckpointError(
      `${file}: written by a newer trainkit (checkpoint format ${version}; this @trainkit/hook-checkpoint reads up to ${FORMAT_VERSION}). Upgrade @trainkit/hook-checkpoint`,
    );
  const checksum = parseChecksum(m[META_CHECKSUM]);
  if (checksum === undefined) throw corrupted(file, `bad checksum field ${JSON.stringify(m[META_CHECKSUM])}`);
  if (typeof m[META_STATE] !== 'string') throw corrupted(file, 'the trainkit state is missing from __metadata__');
  return { checksum, state: m[META_STATE] };
}

function checkChecksum(file: string, info: NonNullable<ParsedHeader['trainkit']>, dataCrc: number): void {
  const crc = fullChecksum(dataCrc, Buffer.from(info.state, 'utf8'));
  if (crc !== info.checksum)
    throw corrupted(
      file,
      `checksum mismatch (stored ${formatChecksum(info.checksum)}, computed ${formatChecksum(crc)}): the file was damaged after it was written`,
    );
}

async function withFile<T>(file: string, fn: (fh: FileHandle, size: number) => Promise<T>): Promise<T> {
  let fh: FileHandle;
  try {
    if ((await fs.promises.stat(file)).isDirectory()) {
      throw new CheckpointError(`${file}: is a folder, not a checkpoint file. Name a .safetensors file in it (load_from / --resume)`);
    }
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file; check load_from / --resume, or use --resume alone to continue from the latest checkpoint in work_dir'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied; make it readable for this user'
          : (e as Error).message;
    throw new CheckpointError(`${file}: cannot open the checkpoint (${why})`);
  }
  try {
    return await fn(fh, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
}

/**
 * Reads a checkpoint: header checks, one read of the data section, checksum, then tensors that
 * view the data in place. A plain safetensors file (no trainkit state) loads as `{state_dict}`.
 */
export function readCheckpointFile(file: string): Promise<Checkpoint> {
  return withFile(file, async (fh, size) => {
    const h = await readHeader(fh, file, size);
    if (h.dataBytes > MAX_LENGTH)
      throw new CheckpointError(`${file}: ${h.dataBytes} bytes of tensor data is more than Node.js can hold in one buffer (${MAX_LENGTH})`);
    const data = Buffer.allocUnsafeSlow(h.dataBytes);
    if (h.trainkit) checkChecksum(file, h.trainkit, await readAndChecksum(fh, data, h.dataStart, file));
    else await readExactly(fh, data, h.dataStart, file);
    const blobs = new Map<string, { dtype: SafetensorsDtype; shape: number[]; bytes: Uint8Array }>();
    for (const [name, t] of h.tensors) blobs.set(name, { dtype: t.dtype, shape: t.shape, bytes: data.subarray(t.begin, t.end) });
    if (!h.trainkit) {
      const refs = Object.fromEntries([...blobs.keys()].map((k) => [k, { [TENSOR_REF]: k }]));
      const plain = unflattenState(refs, blobs) as Checkpoint['state_dict'];
      return { meta: { epoch: 0, iter: 0 }, state_dict: plain } as Checkpoint;
    }
    let state: unknown;
    try {
      state = JSON.parse(h.trainkit.state);
    } catch (e) {
      throw corrupted(file, `the trainkit state is not valid JSON (${(e as Error).message})`);
    }
    return unflattenState(state, blobs) as Checkpoint;
  });
}

/**
 * Reads the data section into `data` and returns its CRC-32. A large one is checksummed on the
 * file thread from the same open file (page cache, a small reused buffer) while this thread's
 * read fills `data`: the checksum then costs no time of its own on a machine with a core to
 * spare, where a second pass over the fresh buffer would cost about as much as the read.
 */
async function readAndChecksum(fh: FileHandle, data: Buffer, start: number, file: string): Promise<number> {
  if (data.byteLength < PARALLEL_CHECKSUM_BYTES) {
    await readExactly(fh, data, start, file);
    return zlib.crc32(data);
  }
  const crc = checksumOpenFileRange(fh.fd, file, start, data.byteLength);
  // both settle before the file is closed: the file thread reads the same descriptor
  const [read, sum] = await Promise.allSettled([readExactly(fh, data, start, file), crc]);
  if (read.status === 'rejected') throw read.reason;
  if (sum.status === 'rejected') throw sum.reason;
  return sum.value;
}

/** Checks structure and checksum without building tensors; the checksum runs off the main thread. Throws a CheckpointError saying what is wrong. */
export function verifyCheckpointFile(file: string): Promise<true> {
  return withFile(file, async (fh, size) => {
    const h = await readHeader(fh, file, size);
    if (h.trainkit) checkChecksum(file, h.trainkit, await checksumFileRange(file, h.dataStart, h.dataBytes));
    return true as const;
  });
}
