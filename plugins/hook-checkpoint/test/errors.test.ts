import fsModule, * as fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { CheckpointError, Hook, type Runner } from '@trainkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SafetensorsCheckpoint } from '../src/index.js';
import { checkpoint, checkpointFiles, quietRunner, tempDir, tf, toy } from './helpers.js';

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });

/** Makes every write fail with ENOSPC once `full.on` is set (as a disk that filled up). */
async function diskFillsUp(): Promise<{ on: boolean }> {
  const state = { on: false };
  const probe = await fs.promises.open(path.join(tempDir(), 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { writev: (...a: unknown[]) => Promise<unknown> };
  await probe.close();
  const real = proto.writev;
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  vi.spyOn(proto, 'writev').mockImplementation(function (this: unknown, ...args: unknown[]) {
    return state.on ? Promise.reject(enospc()) : real.apply(this, args);
  });
  // background saves write through the callback API
  const realWritev = fsModule.writev;
  vi.spyOn(fsModule, 'writev').mockImplementation(((...args: unknown[]) => {
    const done = args.at(-1) as (e: Error | null, n?: number) => void;
    if (state.on) setImmediate(() => done(enospc()));
    else (realWritev as (...a: unknown[]) => void)(...args);
  }) as typeof fsModule.writev);
  syncBuiltinESMExports();
  return state;
}

/** Fills the disk once the first checkpoint is complete (with async_save it completes later). */
class FillDiskAfterEpoch1 extends Hook {
  constructor(readonly state: { on: boolean }) {
    super();
    this.priority = 'LOWEST';
  }
  override async afterTrainEpoch(runner: Runner): Promise<void> {
    while (!fs.existsSync(path.join(runner.workDir, 'last_checkpoint'))) await new Promise((r) => setTimeout(r, 5));
    this.state.on = true;
  }
}

const tempLeftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe('save failures keep older checkpoints', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    syncBuiltinESMExports();
  });

  for (const async_save of [false, true]) {
    it(`a disk that fills up mid-run gives a clear error; epoch_1 and last_checkpoint stay (async_save=${async_save})`, async () => {
      const wd = tempDir();
      const full = await diskFillsUp();
      const runner = await quietRunner(
        toy(wd, { ...epochs(3), custom_hooks: [new FillDiskAfterEpoch1(full)], default_hooks: checkpoint({ interval: 1, max_keep_ckpts: 1, async_save }) }),
      );
      const error = await runner.train().catch((e) => e);
      await runner.dispose();
      vi.restoreAllMocks();
      syncBuiltinESMExports();
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error.message).toMatch(/cannot write checkpoint .*epoch_2\.safetensors: the disk is full.*existing checkpoints were not touched/);
      expect(checkpointFiles(wd)).toEqual(['epoch_1.safetensors']);
      expect(fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8')).toBe('epoch_1.safetensors');
      expect(tempLeftovers(wd)).toEqual([]);
      await expect(new SafetensorsCheckpoint().verify(path.join(wd, 'epoch_1.safetensors'))).resolves.toBe(true);
    });
  }

  it('checks free space before writing', async () => {
    const dir = tempDir();
    vi.spyOn(fsModule, 'statfsSync').mockReturnValue({ bavail: 2, bsize: 4096 } as fs.StatsFs);
    syncBuiltinESMExports();
    const file = path.join(dir, 'big.safetensors');
    const w = tf.zeros([10_000]);
    await expect(new SafetensorsCheckpoint().save(file, { meta: { epoch: 0, iter: 0 }, state_dict: { w } })).rejects.toThrow(
      /not enough free disk space: the checkpoint needs 0\.0 MB, .* has 0\.0 MB free/,
    );
    w.dispose();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('an out_dir that cannot be a folder fails before training, naming the option', async () => {
    const base = tempDir();
    fs.writeFileSync(path.join(base, 'blocker'), 'a file, not a folder');
    const runner = await quietRunner(toy(tempDir(), { ...epochs(1), default_hooks: checkpoint({ interval: 1, out_dir: path.join(base, 'blocker') }) }));
    let trained = 0;
    runner.registerHook(Object.assign(new (class extends Hook {})(), { beforeTrainIter: () => trained++ }));
    const error = await runner.train().catch((e) => e);
    await runner.dispose();
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(/cannot save checkpoints to .*blocker.*a file is in the way.*Set out_dir/);
    expect(trained).toBe(0);
  });
});
