import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint, readCheckpointFile } from '../src/index.js';
import { tempDir, tf } from './helpers.js';

/**
 * Thousands of mutated checkpoints, each either a clear CheckpointError or a correct load: never
 * another exception, a hang, a leaked tensor or a changed prototype. Mutations that should reach
 * the state tree re-sign the file (a crafted file passes the checksum: its writer recomputes it).
 */
const CASES = 2000;
const SEED = 0x5eed19;

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Parts {
  header: Record<string, unknown>;
  state: unknown;
  data: Buffer;
}

function split(file: Buffer): Parts {
  const n = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + n).toString('utf8'));
  const state = JSON.parse(header.__metadata__['trainkit.state']);
  return { header, state, data: Buffer.from(file.subarray(8 + n)) };
}

/** Lays the parts out again, with a checksum that matches (as a crafted file would have). */
function assemble(p: Parts, resign = true): Buffer {
  const header = structuredClone(p.header) as Record<string, Record<string, unknown>>;
  const meta = header.__metadata__;
  if (meta && typeof meta === 'object' && p.state !== undefined) {
    const state = JSON.stringify(p.state);
    meta['trainkit.state'] = state;
    if (resign) meta['trainkit.checksum'] = `crc32:${(zlib.crc32(Buffer.from(state, 'utf8'), zlib.crc32(p.data)) >>> 0).toString(16).padStart(8, '0')}`;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, p.data]);
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function hostileValue(r: () => number, names: string[]): unknown {
  return pick(r, [
    () => JSON.parse('{"__proto__": {"polluted": 1, "epoch": 99, "iter": 999}}'),
    () => ({ constructor: { prototype: { polluted: 1 } } }),
    () => ({ prototype: { polluted: 1 } }),
    () => ({ __trainkit_tensor__: pick(r, [...names, 'missing', null, 5, '__proto__']) }),
    () => ({ __trainkit_tensor__: null, dtype: 'string', shape: pick(r, [[2], [1e9], 'x', [-1]]), values: pick(r, [['a', 'b'], 'ab', [1, 2], null]) }),
    () => ({
      __trainkit_array__: pick(r, [...names, 'missing']),
      type: pick(r, ['Array', 'Float32Array', 'Float64Array', 'Uint8Array', 'constructor', 'toString', 5]),
    }),
    () => ({ __trainkit_number__: pick(r, ['NaN', 'Infinity', '1e400', 'abc', '123456789012345678901234567890', 5, '-0', '']) }),
    () => deep(pick(r, [10, 500, 3000])),
    () => pick(r, [null, 0, -1, 1.5, 'x', true, [], {}, 2 ** 60]),
  ])();
}

/** Replaces a random node of the state tree (the root included) with a hostile value. */
function mutateState(r: () => number, state: unknown, names: string[]): unknown {
  if (r() < 0.05) return hostileValue(r, names);
  const root = structuredClone(state) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  for (let depth = 0; depth < 8; depth++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const k = pick(r, keys);
    const child = node[k];
    if (child === null || typeof child !== 'object' || r() < 0.3) {
      node[k] = hostileValue(r, names);
      return root;
    }
    node = child as Record<string, unknown>;
  }
  (node as Record<string, unknown>)[pick(r, ['__proto__', 'constructor', 'prototype', 'x'])] = hostileValue(r, names);
  return root;
}

function mutateHeader(r: () => number, header: Record<string, unknown>): Record<string, unknown> {
  const h = structuredClone(header) as Record<string, Record<string, unknown>>;
  const names = Object.keys(h).filter((k) => k !== '__metadata__');
  const name = pick(r, names);
  const entry = h[name];
  switch (Math.floor(r() * 9)) {
    case 0:
      entry.dtype = pick(r, ['F32', 'F64', 'F16', 'BF16', 'I8', 'U8', 'I64', 'BOOL', 'X', 'constructor', 7]);
      break;
    case 1:
      entry.shape = pick(r, [[], [0], [-1], [1.5], [2 ** 53], 'x', [1, 2, 3], [2 ** 20, 2 ** 20]]);
      break;
    case 2: {
      const off = entry.data_offsets as number[];
      entry.data_offsets = pick(r, [[off[0] + 1, off[1]], [off[0], off[1] + 4], [off[1], off[0]], [-1, off[1]], 'x', [0], [0, 2 ** 60]]);
      break;
    }
    case 3:
      delete h[name];
      break;
    case 4:
      h[`${name}_copy`] = structuredClone(entry);
      break;
    case 5:
      Object.defineProperty(h, '__proto__', { value: structuredClone(entry), enumerable: true, configurable: true, writable: true });
      break;
    case 6:
      h.__metadata__['trainkit.format_version'] = pick(r, ['2', 'x', '0', 1, null]);
      break;
    case 7:
      h.__metadata__['trainkit.checksum'] = pick(r, ['crc32:zz', 'md5:1', 5, null]);
      break;
    default:
      h.__metadata__ = pick(r, [null, 'x', [], {}]) as Record<string, unknown>;
  }
  return h;
}

function mutateBytes(r: () => number, file: Buffer): Buffer {
  const out = Buffer.from(file);
  switch (Math.floor(r() * 3)) {
    case 0:
      return out.subarray(0, Math.floor(r() * out.length));
    case 1:
      out.writeBigUInt64LE(pick(r, [0n, 1n, 7n, 2n ** 63n, BigInt(out.length), BigInt(Math.floor(r() * out.length))]), 0);
      return out;
    default:
      for (let i = 0; i < 1 + Math.floor(r() * 4); i++) out[Math.floor(r() * out.length)] ^= 1 << Math.floor(r() * 8);
      return out;
  }
}

/** Tensors in a loaded tree (to free them), after checking every object has a normal prototype. */
function tensorsIn(value: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, out);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`a loaded object has a foreign prototype: ${JSON.stringify(Object.keys(proto ?? {}))}`);
    for (const v of Object.values(value)) tensorsIn(v, out);
  }
  return out;
}

describe('checkpoint reader fuzzing', () => {
  it(`${CASES} mutated checkpoints: each a CheckpointError or a correct load, no pollution, no leak`, { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const source = path.join(dir, 'valid.safetensors');
    const history = Array.from({ length: 300 }, (_, i) => 1 / (i + 1));
    await new SafetensorsCheckpoint().save(source, {
      meta: { epoch: 1, iter: 5, nan: Number.NaN, big: 12345678901234567890n, cfg: '{"a": 1}' },
      state_dict: { 'linear.weight': tf.tensor2d([1, 2, 3, 4], [2, 2]), 'linear.bias': tf.tensor1d([0.5, -0.5]), steps: tf.tensor1d([1, 2], 'int32') },
      message_hub: {
        log_scalars: { 'train/loss': { log_history: history, count_history: history.map(() => 1), max_length: 1000 } },
        runtime_info: { best_ckpt: 'best.safetensors' },
      },
      extra: { f32: new Float32Array([1, 2]), u8: new Uint8Array([3]), label: tf.tensor1d(['a', 'b'], 'string') },
    } as never);
    const valid = fs.readFileSync(source);
    const parts = split(valid);
    const names = Object.keys(parts.header).filter((k) => k !== '__metadata__');
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).join();
    const baseline = tf.memory().numTensors;
    const r = rng(SEED);
    const target = path.join(dir, 'case.safetensors');
    const outcomes = { loaded: 0, refused: 0 };

    for (let i = 0; i < CASES; i++) {
      const kind = i % 3;
      const bytes =
        kind === 0
          ? assemble({ ...parts, state: mutateState(r, parts.state, names) })
          : kind === 1
            ? assemble({ ...parts, header: mutateHeader(r, parts.header) }, r() < 0.8)
            : mutateBytes(r, valid);
      fs.writeFileSync(target, bytes);
      let loaded: unknown;
      try {
        loaded = await readCheckpointFile(target);
      } catch (e) {
        if ((e as Error)?.name !== 'CheckpointError') throw new Error(`case ${i} (kind ${kind}) failed with ${(e as Error)?.name}: ${(e as Error)?.message}`);
        expect((e as Error).message.length).toBeGreaterThan(10);
        outcomes.refused++;
      }
      if (loaded !== undefined) {
        tf.dispose(tensorsIn(loaded));
        outcomes.loaded++;
      }
      expect(({} as { polluted?: unknown }).polluted, `case ${i}`).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).join(), `case ${i}`).toBe(protoKeys);
      expect(tf.memory().numTensors, `case ${i} leaked tensors`).toBe(baseline);
    }
    // both outcomes occur: the mutations reach past the first checks
    expect(outcomes.refused).toBeGreaterThan(CASES / 2);
    expect(outcomes.loaded).toBeGreaterThan(10);
  });
});
