/**
 * Golden log lines of whole runs: MMEngine's test seeds 13-20 on the toy setup (10 samples,
 * batch 2, 5 iterations per epoch). Timings vary, so their digits are matched by pattern; the
 * cpu backend reports memory, so train and val iteration lines carry `memory: N` after
 * data_time, where MMEngine prints it on CUDA.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GradNormForTest, LinearLrForTest, grep, runToy } from './helpers.js';

const T = String.raw`\d+\.\d{4}`;
const ETA = String.raw`\d+:\d\d:\d\d`;
const MEM = String.raw`memory: \d+`;

describe('train lines', () => {
  it('match seed 13: fields, order, lr schedule, ignore_last and Exp name', async () => {
    const out = await runToy({ overrides: { train_cfg: { by_epoch: true, max_epochs: 4, val_interval: 1 } }, hooks: [new LinearLrForTest()] });
    const train = grep(out.messages, /^Epoch\(train\)/);
    expect(train[0]).toMatch(
      new RegExp(`^Epoch\\(train\\) \\[1\\]\\[2/5\\]  lr: 5\\.5000e-02  eta: ${ETA}  time: ${T}  data_time: ${T}  ${MEM}  loss: ${T}  loss_aux: ${T}$`),
    );
    expect(train[1]).toMatch(/^Epoch\(train\) \[1\]\[4\/5\] {2}lr: 1\.0000e-01 {2}eta/);
    expect(train.some((l) => l.startsWith('Epoch(train) [1][5/5]'))).toBe(false);
    expect(train).toHaveLength(8);
    const i = out.messages.indexOf(train[1]);
    expect(out.messages[i + 1]).toBe(`Exp name: ${out.ts}`);
    // no line of the runtime ends in spaces (MMEngine's do; see the README)
    expect(out.fileLines.filter((l) => / $/.test(l))).toEqual([]);
  });

  it('print the same lines on the terminal as in the text log, but for the config and hook plan (log only)', async () => {
    const out = await runToy();
    expect(out.consoleMessages.length).toBeGreaterThan(10);
    const reference = /^(Config:|Hooks will be executed in the following order:)/;
    expect(out.messages.filter((m) => reference.test(m))).toHaveLength(2);
    expect(out.consoleMessages).toEqual(out.messages.filter((m) => !reference.test(m)));
  });

  it('align epochs to max_epochs (seed 14)', async () => {
    const out = await runToy({ overrides: { train_cfg: { by_epoch: true, max_epochs: 12, val_interval: 100 } }, logger: { interval: 5 } });
    const train = grep(out.messages, /^Epoch\(train\)/);
    expect(train).toHaveLength(12);
    expect(train[4]).toMatch(/^Epoch\(train\) {2}\[5\]\[5\/5\] {2}lr/);
    expect(train[9]).toMatch(/^Epoch\(train\) \[10\]\[5\/5\] {2}lr/);
  });

  it('match seed 17: iteration-based, no timer, custom max over the run, val every 5 and 12', async () => {
    const out = await runToy({
      logger: { interval: 3 },
      hooks: [new LinearLrForTest(0.1, [0.1, 0.55, 1]), new GradNormForTest()],
      overrides: {
        train_cfg: { by_epoch: false, max_iters: 12, val_interval: 5 },
        val_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 4, sampler: { type: 'DefaultSampler', shuffle: false } },
        log_processor: { by_epoch: false, custom_cfg: [{ data_src: 'loss', method_name: 'max', window_size: 'global', log_name: 'loss_max' }] },
        default_hooks: { timer: null, logger: { type: 'LoggerHook', interval: 3 }, checkpoint: null, param_scheduler: null },
      },
    });
    const train = grep(out.messages, /^Iter\(train\)/);
    // iteration 5 ends the dataloader, but ignore_last drops it (5 > interval 3); its Exp name stays
    expect(train.map((l) => l.slice(0, 19))).toEqual(['Iter(train) [ 3/12]', 'Iter(train) [ 6/12]', 'Iter(train) [ 9/12]', 'Iter(train) [12/12]']);
    expect(grep(out.messages, /^Exp name/)).toHaveLength(1);
    // memory comes right after the timing part, so before grad_norm (as in MMEngine on CUDA)
    expect(train[0]).toMatch(
      new RegExp(`^Iter\\(train\\) \\[ 3/12\\]  lr: 1\\.0000e-01  ${MEM}  grad_norm: 6\\.4485  loss: ${T}  loss_aux: ${T}  loss_max: ${T}$`),
    );
    expect(train.join('\n')).not.toMatch(/eta|time/);
    // without the timer a val iteration line holds only memory; then the metrics line
    expect(grep(out.messages, /^Iter\(val\)/)).toEqual([
      ...['0.5000', '0.7000', '0.6000'].flatMap((acc) => [
        expect.stringMatching(/^Iter\(val\) \[3\/3\] {4}memory: \d+$/),
        `Iter(val) [3/3]    toy/acc: ${acc}`,
      ]),
    ]);
    // an iteration-based loop steps validation scalars by iteration (see the README)
    expect(out.json.filter((j) => 'toy/acc' in j).map((j) => j.step)).toEqual([5, 10, 12]);
    expect(out.json[0]).toEqual({
      lr: 0.1,
      grad_norm: 6.4485,
      loss: expect.any(Number),
      loss_aux: expect.any(Number),
      loss_max: expect.any(Number),
      iter: 3,
      memory: expect.any(Number),
      step: 3,
    });
  });
});

describe('val and test lines', () => {
  it('match seed 15: val iteration lines, the val epoch line, test lines with batch 3', async () => {
    const out = await runToy({
      overrides: {
        train_cfg: { by_epoch: true, max_epochs: 1 },
        test_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 3, sampler: { type: 'DefaultSampler', shuffle: false } },
        test_cfg: {},
        test_evaluator: { type: 'ToyMetric', sequence: [0.8] },
      },
    });
    expect(grep(out.messages, /^Epoch\(val\)/)).toEqual([
      expect.stringMatching(new RegExp(`^Epoch\\(val\\) \\[1\\]\\[2/5\\]    eta: ${ETA}  time: ${T}  data_time: ${T}  ${MEM}$`)),
      expect.stringMatching(/^Epoch\(val\) \[1\]\[4\/5\] {4}eta/),
      expect.stringMatching(new RegExp(`^Epoch\\(val\\) \\[1\\]\\[5/5\\]    toy/acc: 0\\.5000  data_time: ${T}  time: ${T}$`)),
    ]);

    const test = await runToy({
      mode: 'test',
      overrides: {
        test_dataloader: { dataset: { type: 'ToyDataset' }, batch_size: 3, sampler: { type: 'DefaultSampler', shuffle: false } },
        test_cfg: {},
        test_evaluator: { type: 'ToyMetric', sequence: [0.8] },
      },
    });
    expect(grep(test.messages, /^Epoch\(test\)/)).toEqual([
      expect.stringMatching(new RegExp(`^Epoch\\(test\\) \\[2/4\\]    eta: ${ETA}  time: ${T}  data_time: ${T}  ${MEM}$`)),
      expect.stringMatching(/^Epoch\(test\) \[4\/4\] {4}eta/),
      expect.stringMatching(new RegExp(`^Epoch\\(test\\) \\[4/4\\]    toy/acc: 0\\.8000  data_time: ${T}  time: ${T}$`)),
    ]);
    // seed 19: the test results are one JSON object in the run folder, without step
    const file = path.join(test.runner.logDir, `${test.ts}.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ 'toy/acc': 0.8, data_time: expect.any(Number), time: expect.any(Number) });
    expect(test.scalars).toEqual([]);
  });

  it('match seed 16: standalone validation is epoch 0 (with the space) and steps at 0', async () => {
    const out = await runToy({ mode: 'val' });
    expect(grep(out.messages, /^Epoch\(val\)/).map((l) => l.slice(0, 24))).toEqual([
      'Epoch(val) [0][2/5]    e',
      'Epoch(val) [0][4/5]    e',
      'Epoch(val) [0][5/5]    t',
    ]);
    expect(out.json).toEqual([{ 'toy/acc': 0.5, data_time: expect.any(Number), time: expect.any(Number), step: 0 }]);
    expect(out.result).toEqual({ 'toy/acc': 0.5 });
  });
});

describe('JSON lines', () => {
  it('match seed 18: keys in order, steps, identical scalars.json', async () => {
    const out = await runToy({ overrides: { train_cfg: { by_epoch: true, max_epochs: 2, val_interval: 1 } } });
    expect(Object.keys(out.json[0])).toEqual(['lr', 'data_time', 'loss', 'loss_aux', 'time', 'epoch', 'iter', 'memory', 'step']);
    expect(out.json[0]).toMatchObject({ epoch: 1, iter: 2, step: 2 });
    const val = out.json.filter((j) => 'toy/acc' in j);
    expect(val.map((j) => Object.keys(j))).toEqual([
      ['toy/acc', 'data_time', 'time', 'step'],
      ['toy/acc', 'data_time', 'time', 'step'],
    ]);
    expect(val.map((j) => [j['toy/acc'], j.step])).toEqual([
      [0.5, 1],
      [0.7, 2],
    ]);
    // every logged train line has its JSON line, with the step of the iteration
    const train = out.json.filter((j) => 'loss' in j);
    expect(train.map((j) => j.step)).toEqual([2, 4, 7, 9]);
    expect(train.map((j) => j.step)).toEqual(train.map((j) => j.iter));
    expect(grep(out.messages, /^Epoch\(train\)/)).toHaveLength(train.length);
    expect(out.scalars).toEqual(out.json);
  });

  it('use hierarchical keys with log_with_hierarchy and step validation by iteration when asked', async () => {
    const out = await runToy({ logger: { log_metric_by_epoch: false }, overrides: { log_processor: { log_with_hierarchy: true } } });
    expect(Object.keys(out.json[0])).toEqual(['train/lr', 'train/data_time', 'train/loss', 'train/loss_aux', 'train/time', 'epoch', 'iter', 'memory', 'step']);
    const val = out.json.filter((j) => 'val/toy/acc' in j);
    expect(val.map((j) => j.step)).toEqual([5, 10]);
    expect(grep(out.messages, /^Epoch\(val\) \[1\]\[5\/5\]/)[0]).toMatch(/ {4}val\/toy\/acc: 0\.5000 {2}val\/data_time: .* {2}val\/time: /);
  });

  it('leave MMEngine’s run-folder layout (seed 20) and no tensor behind', async () => {
    // the toy model itself leaves its initial values alive; the hook must add nothing to that
    let before = tf.memory().numTensors;
    await runToy({ overrides: { default_hooks: { logger: null, checkpoint: null, param_scheduler: null } } });
    const withoutHook = tf.memory().numTensors - before;
    before = tf.memory().numTensors;
    const out = await runToy({ overrides: { experiment_name: 'toyexp' } });
    expect(tf.memory().numTensors - before).toBe(withoutHook);
    expect(fs.readdirSync(out.runner.logDir).sort()).toEqual([`${out.ts}.log`, 'vis_data']);
    expect(fs.readdirSync(path.join(out.runner.logDir, 'vis_data')).sort()).toEqual([`${out.ts}.json`, 'config.json', 'scalars.json']);
    expect(out.messages).toContain(`Exp name: toyexp_${out.ts}`);
  });
});
