import * as path from 'node:path';
import { Visualizer } from '@trainkit/core';
import { readScalars } from '@trainkit/tfevents';
import { describe, expect, it } from 'vitest';
import { eventFiles, tempDir } from './helpers.js';
import '../src/index.js';

/** A run with its TensorBoard folder fixed by `save_dir`, as a resumed run shares it. */
function run(tbDir: string): Visualizer {
  return new Visualizer({ save_dir: tempDir(), vis_backends: [{ type: 'TensorboardVisBackend', save_dir: tbDir }] });
}

async function nextSecond(): Promise<void> {
  // event file names sort by their creation second, and TensorBoard reads them in that order
  await new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
}

describe('resume', () => {
  it('supersedes what the interrupted run logged after the checkpoint: no zig-zag, no repeated steps', async () => {
    const tbDir = path.join(tempDir(), 'tensorboard');
    const interrupted = run(tbDir);
    for (let iter = 10; iter <= 150; iter += 10) interrupted.addScalars({ loss: iter, lr: 0.1 }, iter);
    interrupted.addScalars({ 'val/acc': 0.5 }, 120);
    // the process dies: no close, only what the writer flushed (here: everything, on flush)
    await interrupted.flush();
    await nextSecond();

    // resumed from the checkpoint at iter 100; the runner tells the visualizer
    const resumed = run(tbDir);
    resumed.resumeFrom(100);
    for (let iter = 110; iter <= 200; iter += 10) resumed.addScalars({ loss: -iter, lr: 0.01 }, iter);
    await resumed.close();

    expect(eventFiles(tbDir)).toHaveLength(2);
    const scalars = await readScalars(tbDir);
    const expectedSteps = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(scalars.loss.map((p) => p.step)).toEqual(expectedSteps);
    expect(scalars.loss.map((p) => p.value)).toEqual(expectedSteps.map((s) => (s <= 100 ? s : -s)));
    expect(scalars.lr.map((p) => p.step)).toEqual(expectedSteps);
    expect(scalars['val/acc']).toEqual([]);
    await interrupted.close();
  });

  it('continues the event files of the resumed run when they live in the default place of the runner', async () => {
    const workDir = tempDir();
    const first = new Visualizer({ save_dir: path.join(workDir, 'run1'), vis_backends: [{ type: 'TensorboardVisBackend' }] });
    first.addConfig({ lr: 0.1 }, 'lr: 0.1');
    for (let iter = 10; iter <= 150; iter += 10) first.addScalars({ loss: iter }, iter);
    await first.flush();
    await nextSecond();

    const second = new Visualizer({ save_dir: path.join(workDir, 'run2'), vis_backends: [{ type: 'TensorboardVisBackend' }] });
    second.addConfig({ lr: 0.1 }, 'lr: 0.1');
    second.resumeFrom(100, { logDir: path.join(workDir, 'run1') });
    for (let iter = 110; iter <= 200; iter += 10) second.addScalars({ loss: -iter }, iter);
    await second.close();
    await first.close();

    const scalars = await readScalars(path.join(workDir, 'run1', 'vis_data'));
    const steps = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(scalars.loss.map((p) => p.step)).toEqual(steps);
    expect(scalars.loss.map((p) => p.value)).toEqual(steps.map((s) => (s <= 100 ? s : -s)));
    expect(eventFiles(path.join(workDir, 'run2', 'vis_data'))).toEqual([]);
  });
});
