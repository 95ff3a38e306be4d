import * as path from 'node:path';
import { CheckpointError, ConfigError, Hook, type Runner } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint } from '../src/index.js';
import { checkpoint, quietRunner, tempDir, tf, toy, trainToy, weightBytes } from './helpers.js';

beforeAll(async () => {
  // the checkpoints below are written before any runner has chosen the backend
  await tf.setBackend('cpu');
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
});

const epochs = (n: number) => ({ train_cfg: { by_epoch: true, max_epochs: n } });

/** The weights training starts from (after init_cfg, load_from and resume). */
class StartProbe extends Hook {
  weights: Record<string, Buffer> = {};
  at: [number, number] | undefined;
  override beforeTrain(runner: Runner): void {
    this.weights = weightBytes(runner);
    this.at = [runner.epoch, runner.iter];
  }
}

const bytes = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);

/** A checkpoint of a bigger model whose `backbone.` part has the toy model's keys. */
async function detectorCheckpoint(): Promise<string> {
  const file = path.join(tempDir(), 'detector.safetensors');
  const state = {
    'backbone.linear.weight': tf.tensor2d([[0.25], [-0.5]]),
    'backbone.linear.bias': tf.tensor1d([0.125]),
    'head.fc.weight': tf.ones([3, 3]),
  };
  await new SafetensorsCheckpoint().save(file, { meta: { epoch: 7, iter: 70 }, state_dict: state });
  for (const t of Object.values(state)) t.dispose();
  return file;
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe("model.init_cfg: {type: 'Pretrained', checkpoint, prefix}", () => {
  it('loads the sub-tree under prefix with the prefix stripped (MMEngine adds the missing dot), counters untouched', async () => {
    const file = await detectorCheckpoint();
    const probe = new StartProbe();
    const { log } = await trainToy(tempDir(), {
      ...epochs(1),
      model: { type: 'ToyModel', init_cfg: { type: 'Pretrained', checkpoint: file, prefix: 'backbone' } },
      custom_hooks: [probe],
    });
    expect(probe.weights['linear.weight']).toEqual(bytes([0.25, -0.5]));
    expect(probe.weights['linear.bias']).toEqual(bytes([0.125]));
    expect(probe.at).toEqual([0, 0]);
    expect(log).toContain(`Load backbone. in model from ${file}`);
    expect(log).not.toContain('do not match exactly'); // head.* was left out, not reported as unexpected
  });

  it('comes before load_from, which wins where both set a weight (MMEngine: init_weights, then load_checkpoint)', async () => {
    const file = await detectorCheckpoint();
    const wd = tempDir();
    await trainToy(wd, { ...epochs(1), default_hooks: checkpoint({ interval: 1 }) });
    const probe = new StartProbe();
    await trainToy(tempDir(), {
      ...epochs(1),
      model: { type: 'ToyModel', init_cfg: [{ type: 'Pretrained', checkpoint: file, prefix: 'backbone.' }] },
      load_from: path.join(wd, 'epoch_1.safetensors'),
      custom_hooks: [probe],
    });
    expect(probe.weights['linear.weight']).not.toEqual(bytes([0.25, -0.5]));
  });

  it('fails clearly: a prefix nothing starts with, another initialiser type, an unknown key', async () => {
    const file = await detectorCheckpoint();
    const none = await errorOf(
      trainToy(tempDir(), { ...epochs(1), model: { type: 'ToyModel', init_cfg: { type: 'Pretrained', checkpoint: file, prefix: 'neck' } } }),
    );
    expect(none).toBeInstanceOf(CheckpointError);
    expect(none.message).toContain('no state_dict key starts with the prefix "neck."');
    const kaiming = await errorOf(quietRunner(toy(tempDir(), { model: { type: 'ToyModel', init_cfg: { type: 'Kaiming', layer: 'Conv2d' } } })));
    expect(kaiming).toBeInstanceOf(ConfigError);
    expect(kaiming.message).toMatch(/^model\.init_cfg\.type: init_cfg type "Kaiming" is not supported[\s\S]*kernel_initializer/);
    const typo = await errorOf(quietRunner(toy(tempDir(), { model: { type: 'ToyModel', init_cfg: { type: 'Pretrained', checkpoint: file, prefx: 'a' } } })));
    expect(typo.message).toMatch(/^model\.init_cfg\.prefx: unknown option "prefx"[\s\S]*Did you mean "prefix"\?/);
  });
});

describe("resume: 'auto' and resume_from", () => {
  it("resume: 'auto' resumes from the latest checkpoint in work_dir", async () => {
    const wd = tempDir();
    await trainToy(wd, { ...epochs(2), default_hooks: checkpoint({ interval: 1 }) });
    const probe = new StartProbe();
    const { log } = await trainToy(wd, { ...epochs(3), resume: 'auto', custom_hooks: [probe] });
    expect(log).toContain(`Auto resumed from the latest checkpoint ${path.join(wd, 'epoch_2.safetensors')}.`);
    expect(probe.at).toEqual([2, 10]);
  });

  it("refuses resume: 'auto' next to a load_from, and MMCV's resume_from with its replacement", async () => {
    const both = await errorOf(quietRunner(toy(tempDir(), { resume: 'auto', load_from: 'a.safetensors' })));
    expect(both.message).toMatch(/^resume: resume: 'auto' resumes from the latest checkpoint in work_dir, but load_from names another one/);
    const old = await errorOf(quietRunner(toy(tempDir(), { resume_from: 'work_dirs/x/epoch_3.pth' })));
    expect(old).toBeInstanceOf(ConfigError);
    expect(old.message).toContain('resume_from: "resume_from" is an MMEngine 0.x (MMCV) key; MMEngine and trainkit use load_from with resume: true');
    expect(old.message).toContain('fix: write load_from:');
  });
});
