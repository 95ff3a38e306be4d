import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, startCli, tempDir, waitFor } from '../support/cli.js';
import { distMlpConfig, freePort, rankLosses } from '../support/dist.js';

/**
 * Data-parallel training through `trainkit train --nproc-per-node`, against one process with the
 * same global batch: Fashion-MNIST MLP (no dropout), SGD, cpu backend, 50 iterations of 32.
 */
const GLOBAL_BATCH = 32;
const ITERS = 50;

function valAccuracy(output: string, epoch: number): number {
  const m = new RegExp(`Epoch\\(val\\) \\[${epoch}\\]\\[\\d+/\\d+\\]\\s+accuracy/top1: (\\d+\\.\\d+)`).exec(output);
  if (!m) throw new Error(`no validation accuracy for epoch ${epoch} in:\n${output.slice(-3000)}`);
  return Number(m[1]);
}

/** The largest relative difference between the ranks' mean loss and the reference, iteration by iteration. */
function maxRelativeDiff(reference: number[], ranks: number[][]): number {
  expect(ranks.every((r) => r.length === reference.length)).toBe(true);
  let worst = 0;
  reference.forEach((ref, i) => {
    const mean = ranks.reduce((s, r) => s + r[i], 0) / ranks.length;
    worst = Math.max(worst, Math.abs(mean - ref) / Math.abs(ref));
  });
  return worst;
}

async function train(dir: string, workers: number, extra: string[] = [], epochs = 1) {
  const config = distMlpConfig(dir, { workers, globalBatch: GLOBAL_BATCH, iters: ITERS, epochs: 2 });
  const launch = workers > 1 ? ['--nproc-per-node', String(workers), '--master-port', String(await freePort())] : [];
  return runCli(['train', config, ...launch, '--cfg-options', `train_cfg.max_epochs=${epochs}`, ...extra], { cwd: path.join(REPO, 'tests') });
}

describe('data-parallel training on Gloo (trainkit train --nproc-per-node)', () => {
  const one = tempDir();
  const two = tempDir();
  let reference: number[] = [];
  let referenceAcc: number[] = [];

  it('one process: the reference losses and accuracy (2 epochs)', async () => {
    const r = await train(one, 1, [], 2);
    expect(r.code, r.stderr).toBe(0);
    [reference] = rankLosses(path.join(one, 'work'), 1);
    expect(reference).toHaveLength(2 * ITERS);
    referenceAcc = [valAccuracy(r.stdout, 1), valAccuracy(r.stdout, 2)];
  });

  it('2 workers: the same loss at each iteration (relative difference < 1e-5) and the same validation accuracy; rank 0 alone writes', async () => {
    const r = await train(two, 2);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ranks = rankLosses(path.join(two, 'work'), 2);
    expect(maxRelativeDiff(reference.slice(0, ITERS), ranks)).toBeLessThan(1e-5);
    expect(valAccuracy(r.stdout, 1)).toBe(referenceAcc[0]);
    // one run folder, one log, one checkpoint chain: rank 0's
    const work = path.join(two, 'work');
    const folders = fs.readdirSync(work).filter((f) => /^\d{8}_\d{6}/.test(f));
    expect(folders).toHaveLength(1);
    expect(fs.existsSync(path.join(work, 'epoch_1.safetensors'))).toBe(true);
    expect(r.stdout).not.toMatch(/\[rank 1\]/);
  });

  it('a single process loads the 2-worker checkpoint and tests it to the same accuracy', async () => {
    const config = path.join(two, 'mlp_2w.json');
    const r = await runCli(['test', config, path.join(two, 'work', 'epoch_1.safetensors'), '--work-dir', path.join(two, 'test')], {
      cwd: path.join(REPO, 'tests'),
    });
    expect(r.code, r.stderr).toBe(0);
    const metrics = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(metrics['accuracy/top1']).toBeCloseTo(referenceAcc[0], 3);
  });

  it('2 workers resume the distributed run and continue on the reference path', async () => {
    const r = await train(two, 2, ['--resume'], 2);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('resumed epoch: 1, iter: 50');
    const ranks = rankLosses(path.join(two, 'work'), 2);
    expect(maxRelativeDiff(reference, ranks)).toBeLessThan(1e-5);
    expect(valAccuracy(r.stdout, 2)).toBe(referenceAcc[1]);
  });

  it('4 workers, the gradients in many small buckets (pipelined): the same losses and accuracy', async () => {
    const four = tempDir();
    // 0.01 MB: every weight matrix travels in a bucket of its own, the biases share one
    const r = await train(four, 4, ['model_wrapper_cfg.bucket_cap_mb=0.01']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(maxRelativeDiff(reference.slice(0, ITERS), rankLosses(path.join(four, 'work'), 4))).toBeLessThan(1e-5);
    expect(valAccuracy(r.stdout, 1)).toBe(referenceAcc[0]);
  });

  it('a worker that dies makes the other fail at once, naming it; the launcher exits 1 and says which rank', async () => {
    const dir = tempDir();
    const config = distMlpConfig(dir, { workers: 2, globalBatch: GLOBAL_BATCH, iters: ITERS, timeout: 120 });
    const started = Date.now();
    const r = await runCli(['train', config, '--nproc-per-node', '2', '--master-port', String(await freePort())], {
      cwd: path.join(REPO, 'tests'),
      env: { TRAINKIT_TEST_DIE_RANK: '1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/worker rank 1 \(local rank 1, pid \d+\) was killed by SIGKILL/);
    expect(r.stderr).toMatch(/distributed run failed: rank 1 was killed by SIGKILL first; rank\(s\) 0 stopped after it/);
    expect(r.stdout + r.stderr).toMatch(/rank 0 of 2: allreduce failed after \d+\.\d s: rank 1 has exited/);
    // well within the 120 s timeout: the closed connection is noticed at once
    expect(Date.now() - started).toBeLessThan(110_000);
  });

  it('Ctrl-C on the launcher stops every worker after the same step, leaving one resumable checkpoint', async () => {
    const dir = tempDir();
    const config = distMlpConfig(dir, { workers: 2, globalBatch: GLOBAL_BATCH, iters: ITERS });
    const run = startCli(['train', config, '--nproc-per-node', '2', '--master-port', String(await freePort()), '--cfg-options', 'train_cfg.max_epochs=4'], {
      cwd: path.join(REPO, 'tests'),
    });
    await waitFor(run.output, (text) => /Epoch\(train\) \[1\]\[20\/50\]/.test(text), 120_000);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(130);
    const work = path.join(dir, 'work');
    const interrupted = fs.readdirSync(work).filter((f) => f.startsWith('interrupted_iter_'));
    expect(interrupted).toHaveLength(1);
    const [l0, l1] = rankLosses(work, 2);
    expect(l0.length).toBe(l1.length);
    expect(interrupted[0]).toBe(`interrupted_iter_${l0.length}.safetensors`);
    const resumed = await runCli(['train', config, '--nproc-per-node', '2', '--master-port', String(await freePort()), '--resume'], {
      cwd: path.join(REPO, 'tests'),
    });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed epoch: 0, iter: ${l0.length}`);
    expect(fs.existsSync(path.join(work, 'epoch_1.safetensors'))).toBe(true);
  });
});

describe('distributed training without @trainkit/dist-gloo', () => {
  it('a worker whose project lacks the package stops with an error naming it (never one process in silence)', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'toy.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        custom_imports: { imports: [path.join(REPO, 'packages/core/dist/testing/index.js')] },
        work_dir: path.join(dir, 'work'),
        model: { type: 'ToyModel' },
        train_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 2 },
        train_cfg: { by_epoch: true, max_epochs: 1 },
        optim_wrapper: { constructor: 'SimpleSGDConstructor', optimizer: { type: 'SGD', lr: 0.1 } },
        env_cfg: { backend: 'cpu' },
      }),
    );
    // a worker as torchrun starts it, in a folder whose node_modules has no @trainkit/dist-gloo
    const r = await runCli(['train', config], { cwd: dir, env: { RANK: '0', WORLD_SIZE: '2', MASTER_PORT: String(await freePort()) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs the 'gloo' backend from @trainkit\/dist-gloo, which is not installed\n\s+fix: pnpm add @trainkit\/dist-gloo/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
