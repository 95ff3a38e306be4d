import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import '@trainkit/optim';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint, readCheckpointFile } from '../src/index.js';
import { checkpoint, tempDir, trainToy } from './helpers.js';

interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Buffer;
}

/**
 * A reader written from the description of the safetensors layout alone: an unsigned 64-bit
 * little-endian header size N, N bytes of UTF-8 JSON (name -> dtype, shape, [begin, end) offsets
 * relative to the byte buffer after the header, plus an optional string->string `__metadata__`),
 * then the byte buffer, which the tensors must cover without holes.
 */
function readSafetensorsLayout(file: string): { tensors: Map<string, RawTensor>; metadata: Record<string, string>; headerSize: number } {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.toString('utf8', 8, 8 + n)) as Record<string, any>;
  const data = buf.subarray(8 + n);
  const tensors = new Map<string, RawTensor>();
  const sizes: Record<string, number> = { F64: 8, F32: 4, I32: 4, BOOL: 1, U8: 1 };
  let end = 0;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = info.data_offsets as [number, number];
    expect(e - b).toBe(info.shape.reduce((x: number, y: number) => x * y, 1) * sizes[info.dtype]);
    tensors.set(name, { dtype: info.dtype, shape: info.shape, bytes: data.subarray(b, e) });
    end = Math.max(end, e);
  }
  expect(end).toBe(data.length);
  const metadata = header.__metadata__ ?? {};
  for (const v of Object.values(metadata)) expect(typeof v).toBe('string');
  return { tensors, metadata, headerSize: n };
}

async function trainedCheckpoint(): Promise<string> {
  const wd = tempDir();
  await trainToy(wd, {
    train_cfg: { by_epoch: true, max_epochs: 1 },
    optim_wrapper: { type: 'OptimWrapper', optimizer: { type: 'Adam', lr: 0.01 } },
    default_hooks: checkpoint({ interval: 1 }),
  });
  return path.join(wd, 'epoch_1.safetensors');
}

const hasPython = spawnSync('python3', ['-c', 'import safetensors.numpy'], { stdio: 'ignore' }).status === 0;

describe('the file is plain safetensors', () => {
  it('an independent reader of the layout gets the same tensors trainkit loads', async () => {
    const file = await trainedCheckpoint();
    const { tensors, metadata, headerSize } = readSafetensorsLayout(file);
    expect(headerSize % 8).toBe(0);
    expect(metadata['trainkit.format_version']).toBe('1');
    expect(metadata['trainkit.checksum']).toMatch(/^crc32:[0-9a-f]{8}$/);
    const state = JSON.parse(metadata['trainkit.state']);
    expect(state.meta.epoch).toBe(1);

    const ckpt = await readCheckpointFile(file);
    const weights = Object.entries(ckpt.state_dict);
    expect(weights.map(([k]) => k).sort()).toEqual(['linear.bias', 'linear.weight']);
    for (const [name, t] of weights) {
      const raw = tensors.get(name)!; // model weights keep their names
      expect(raw.dtype).toBe('F32');
      expect(raw.shape).toEqual(t.shape);
      expect(raw.bytes.equals(Buffer.from((t.dataSync() as Float32Array).slice().buffer))).toBe(true);
    }
    const adam = (ckpt.optimizer as any).state['0'];
    const expAvg = tensors.get('optimizer/state/0/exp_avg')!;
    expect(expAvg.bytes.equals(Buffer.from((adam.exp_avg.dataSync() as Float32Array).slice().buffer))).toBe(true);
    for (const t of [...Object.values(ckpt.state_dict), adam.exp_avg, adam.exp_avg_sq]) t.dispose();
  });

  it('a plain safetensors file from elsewhere loads as a state dict (F16/F64/I64 converted)', async () => {
    const file = path.join(tempDir(), 'foreign.safetensors');
    const f64 = new Float64Array([1.5, -2]);
    const i64 = new BigInt64Array([7n, -3n]);
    const f16 = new Uint16Array([0x3c00, 0xc000]); // 1, -2
    const header = JSON.stringify({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
      b: { dtype: 'I64', shape: [2], data_offsets: [16, 32] },
      c: { dtype: 'F16', shape: [2, 1], data_offsets: [32, 36] },
    });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(file, Buffer.concat([len, Buffer.from(header), Buffer.from(f64.buffer), Buffer.from(i64.buffer), Buffer.from(f16.buffer)]));
    const ckpt = await new SafetensorsCheckpoint().load(file);
    expect(ckpt.state_dict.a.arraySync()).toEqual([1.5, -2]);
    expect(ckpt.state_dict.b.dtype).toBe('int32');
    expect(ckpt.state_dict.b.arraySync()).toEqual([7, -3]);
    expect(ckpt.state_dict.c.arraySync()).toEqual([[1], [-2]]);
    for (const t of Object.values(ckpt.state_dict)) t.dispose();
  });

  it.runIf(hasPython)("Python's safetensors opens the weights and metadata", async () => {
    const file = await trainedCheckpoint();
    const script = [
      'import json, sys',
      'from safetensors import safe_open',
      'from safetensors.numpy import load_file',
      't = load_file(sys.argv[1])',
      'meta = safe_open(sys.argv[1], framework="np").metadata()',
      'print(json.dumps({"weight": t["linear.weight"].astype(float).tolist(), "bias": t["linear.bias"].astype(float).tolist(),',
      '  "epoch": json.loads(meta["trainkit.state"])["meta"]["epoch"], "names": sorted(t.keys())}))',
    ].join('\n');
    const out = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const py = JSON.parse(out.stdout);
    const ckpt = await readCheckpointFile(file);
    expect(py.weight).toEqual(ckpt.state_dict['linear.weight'].arraySync());
    expect(py.bias).toEqual(ckpt.state_dict['linear.bias'].arraySync());
    expect(py.epoch).toBe(1);
    expect(py.names).toContain('optimizer/state/0/exp_avg');
    for (const t of Object.values(ckpt.state_dict)) t.dispose();
  });
});
