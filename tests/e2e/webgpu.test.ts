// Training on a real WebGPU adapter (Dawn). Runs where one exists: a GPU machine, or a CPU one
// with Mesa's lavapipe Vulkan driver (Mesa 24 or newer; see plugins/backend-webgpu/README.md).
import '@trainkit/core/testing';
import '@trainkit/backend-webgpu';
import '@trainkit/hook-checkpoint';
import '@trainkit/hook-logger';
import '@trainkit/optim';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hasWebGpuAdapter } from '@trainkit/backend-webgpu';
import { ConfigError, Hook, type Runner, createRunner } from '@trainkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { classifierRunConfig } from '../support/toy.js';

const hasAdapter = await hasWebGpuAdapter();

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Counts device read-backs (`backend.read`) and live tensors from iteration 10 on. */
class ReadProbe extends Hook {
  reads = 0;
  readonly counts: number[] = [];
  private restore = () => {};
  override afterTrainIter(runner: Runner): void {
    if (runner.iter === 9) {
      const backend = tf.backend() as unknown as { read(id: unknown): Promise<unknown> };
      const read = backend.read;
      backend.read = (id) => {
        this.reads++;
        return read.call(backend, id);
      };
      this.restore = () => {
        backend.read = read;
      };
    }
    // the hub holds the losses it has not read yet: those come and go with the logging interval
    if ((runner.iter + 1) % 20 === 0) this.counts.push(tf.memory().numTensors - runner.messageHub.heldTensors);
  }
  override afterTrain(): void {
    this.restore();
  }
}

const config = (workDir: string, backend: string) => classifierRunConfig(workDir, { backend, iters: 120, every: 60, logInterval: 50 });

describe.runIf(hasAdapter)('training on webgpu', () => {
  it('reads the device only at logging intervals, stays leak-free, writes checkpoints the cpu backend reproduces, and resumes', async () => {
    const workDir = tempDir();
    const runner = await createRunner(config(workDir, 'webgpu'));
    expect(runner.backend).toBe('webgpu');
    const probe = new ReadProbe();
    runner.registerHook(probe, 'LOWEST');
    await runner.train();
    expect(runner.iter).toBe(120);
    // iterations 10-120: log lines at 50 and 100 (one read each), validation at 60 and 120 (a read
    // per val batch), checkpoints at 60 and 120 (a read per tensor): about 30. A read per
    // iteration would be 110 more.
    expect(probe.reads, `${probe.reads} reads`).toBeLessThan(60);
    expect(new Set(probe.counts).size).toBe(1);
    const loss = runner.messageHub.getScalar('train/loss').current();
    expect(Number.isFinite(loss)).toBe(true);
    const gpuAcc = runner.messageHub.getScalar('val/accuracy/top1').current();
    await runner.dispose();

    const ckpt = path.resolve(workDir, fs.readFileSync(path.join(workDir, 'last_checkpoint'), 'utf8').trim());
    const cpu = await createRunner({
      ...config(tempDir(), 'cpu'),
      load_from: ckpt,
      test_dataloader: config('', '').val_dataloader,
      test_cfg: {},
      test_evaluator: { type: 'Accuracy' },
    });
    const metrics = await cpu.test();
    expect(metrics['accuracy/top1']).toBe(gpuAcc);
    await cpu.dispose();

    // resumed on webgpu from iteration 60, the run ends where the uninterrupted one did
    const resumed = await createRunner({ ...config(tempDir(), 'webgpu'), resume: true, load_from: path.join(workDir, 'iter_60.safetensors') });
    await resumed.train();
    expect(resumed.messageHub.getScalar('train/loss').current()).toBeCloseTo(loss, 5);
    expect(resumed.messageHub.getScalar('val/accuracy/top1').current()).toBe(gpuAcc);
    await resumed.dispose();
  }, 120_000);

  it('refuses, with the config path and the fix, options that need a read on every step', async () => {
    const amp = await createRunner({ ...config(tempDir(), 'webgpu'), optim_wrapper: { type: 'AmpOptimWrapper', optimizer: { type: 'SGD', lr: 0.1 } } })
      .then((r) => r.train())
      .catch((e) => e);
    expect(amp).toBeInstanceOf(ConfigError);
    expect(amp.message).toContain('optim_wrapper.type');
    expect(amp.message).toContain('use OptimWrapper');
    const clip = await createRunner({
      ...config(tempDir(), 'webgpu'),
      optim_wrapper: { optimizer: { type: 'SGD', lr: 0.1 }, clip_grad: { max_norm: 1, error_if_nonfinite: true } },
    })
      .then((r) => r.train())
      .catch((e) => e);
    expect(clip).toBeInstanceOf(ConfigError);
    expect(clip.message).toContain('optim_wrapper.clip_grad.error_if_nonfinite');
  });
});
