/**
 * Golden tests of MMEngine's log lines (spec section 5) against a message hub filled with chosen
 * values, so every number in a line is exact. Runner-level tests of the same lines live in
 * @trainkit/hook-logger.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, HistoryBuffer, LOG_PROCESSORS, MessageHub, type Mode } from '../src/index.js';
import { type LogContext, LogProcessor, type LogProcessorOptions, formatExp, formatFixed, formatTimedelta } from '../src/public/plugin.js';

class Ctx implements LogContext {
  readonly messageHub = new MessageHub();
  epoch = 0;
  iter = 0;
  maxEpochs = 4;
  maxIters = 20;
  hasTrainLoop = true;
  memory: number | undefined;
  lengths: Record<Mode, number> = { train: 5, val: 5, test: 4 };
  dataloaderLength(mode: Mode): number {
    return this.lengths[mode];
  }
  memoryMB(): number | undefined {
    return this.memory;
  }
  push(key: string, ...values: number[]): this {
    for (const v of values) this.messageHub.updateScalar(key, v);
    return this;
  }
}

/** The hub after MMEngine's second train iteration of seed 13 (one value per key, hub order). */
function seed13(): Ctx {
  const ctx = new Ctx()
    .push('train/lr', 0.055)
    .push('train/data_time', 0.0004)
    .push('train/loss', 1.3517)
    .push('train/loss_aux', 0.6759)
    .push('train/time', 0.003);
  ctx.messageHub.updateInfo('eta', 7.9);
  ctx.iter = 1;
  return ctx;
}

const proc = (o: LogProcessorOptions = {}) => new LogProcessor(o);

describe('LogProcessor: train lines', () => {
  it('prints MMEngine fields in MMEngine order (seed 13) and tags them for JSON', () => {
    const [tag, line] = proc().getLogAfterIter(seed13(), 1, 'train');
    expect(line).toBe('Epoch(train) [1][2/5]  lr: 5.5000e-02  eta: 0:00:07  time: 0.0030  data_time: 0.0004  loss: 1.3517  loss_aux: 0.6759');
    expect(Object.keys(tag)).toEqual(['lr', 'data_time', 'loss', 'loss_aux', 'time', 'epoch', 'iter']);
    expect(tag).toMatchObject({ lr: 0.055, epoch: 1, iter: 2 });
  });

  it('carries memory after data_time when the backend reports it, and in the tag last', () => {
    const ctx = seed13();
    ctx.memory = 12;
    const [tag, line] = proc().getLogAfterIter(ctx, 1, 'train');
    expect(line).toBe('Epoch(train) [1][2/5]  lr: 5.5000e-02  eta: 0:00:07  time: 0.0030  data_time: 0.0004  memory: 12  loss: 1.3517  loss_aux: 0.6759');
    expect(Object.keys(tag).at(-1)).toBe('memory');
    expect(tag.memory).toBe(12);
  });

  it('right-aligns epoch and batch numbers (seed 14)', () => {
    const ctx = seed13();
    ctx.maxEpochs = 12;
    ctx.epoch = 4;
    expect(proc().getLogAfterIter(ctx, 1, 'train')[1]).toMatch(/^Epoch\(train\) {2}\[5\]\[2\/5\] {2}lr/);
    ctx.epoch = 9;
    expect(proc().getLogAfterIter(ctx, 1, 'train')[1]).toMatch(/^Epoch\(train\) \[10\]\[2\/5\] {2}lr/);
    ctx.maxEpochs = 100;
    ctx.epoch = 8;
    ctx.lengths.train = 270;
    expect(proc().getLogAfterIter(ctx, 9, 'train')[1]).toMatch(/^Epoch\(train\) {3}\[9\]\[ 10\/270\] {2}lr/);
  });

  it('smooths names matching mean_pattern over window_size and shows the rest as current', () => {
    const ctx = new Ctx().push('train/lr', 0.1, 0.2).push('train/loss', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).push('train/acc', 0.25, 0.5);
    expect(proc().getLogAfterIter(ctx, 0, 'train')[1]).toBe('Epoch(train) [1][1/5]  lr: 2.0000e-01  loss: 7.5000  acc: 0.5000');
    expect(proc({ window_size: 4 }).getLogAfterIter(ctx, 0, 'train')[1]).toContain('loss: 10.5000');
    // a pattern without loss shows the latest value
    expect(proc({ mean_pattern: '.*time.*' }).getLogAfterIter(ctx, 0, 'train')[1]).toContain('loss: 12.0000');
  });

  it('lists time and data_time as plain items when no eta is known', () => {
    const ctx = new Ctx().push('train/data_time', 0.5).push('train/loss', 1).push('train/time', 2);
    expect(proc().getLogAfterIter(ctx, 0, 'train')[1]).toBe('Epoch(train) [1][1/5]    data_time: 0.5000  loss: 1.0000  time: 2.0000');
  });

  it('renders every key ending in lr with the exponent format, joined by one space', () => {
    const ctx = new Ctx().push('train/base_lr', 0.1).push('train/lr', 0.1).push('train/loss', 1);
    expect(proc().getLogAfterIter(ctx, 0, 'train')[1]).toBe('Epoch(train) [1][1/5]  base_lr: 1.0000e-01 lr: 1.0000e-01  loss: 1.0000');
  });

  it('prints iteration-based lines with custom statistics (seed 17)', () => {
    const ctx = new Ctx().push('train/lr', 0.093301).push('train/grad_norm', 6.4485).push('train/loss', 4, 2, 3).push('train/loss_aux', 2, 1, 1.5);
    ctx.iter = 2;
    ctx.maxIters = 12;
    const p = proc({ by_epoch: false, custom_cfg: [{ data_src: 'loss', method_name: 'max', window_size: 'global', log_name: 'loss_max' }] });
    const [tag, line] = p.getLogAfterIter(ctx, 2, 'train');
    expect(line).toBe('Iter(train) [ 3/12]  lr: 9.3301e-02  grad_norm: 6.4485  loss: 3.0000  loss_aux: 1.5000  loss_max: 4.0000');
    expect(Object.keys(tag)).toEqual(['lr', 'grad_norm', 'loss', 'loss_aux', 'loss_max', 'iter']);
    expect(tag.iter).toBe(3);
  });

  it('strips only the "<mode>/" prefix (a key merely starting with the mode keeps its name)', () => {
    const ctx = new Ctx().push('train/a/b', 1).push('trainer_x', 2);
    const [tag] = proc().getLogAfterIter(ctx, 0, 'train');
    expect(Object.keys(tag)).toEqual(['a/b', 'trainer_x', 'epoch', 'iter']);
  });
});

describe('LogProcessor: custom_cfg', () => {
  /** loss 1..12; batch 4 of a 20-batch epoch ('epoch' window 4), iteration 12 ('global' window 12). */
  function ctx12(): Ctx {
    const ctx = new Ctx().push('train/loss', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    ctx.lengths.train = 20;
    ctx.iter = 11;
    return ctx;
  }

  it('computes mean/min/max/current over a number, the epoch, the whole run or everything kept', () => {
    const p = proc({
      custom_cfg: [
        { data_src: 'loss', method_name: 'mean', window_size: 3, log_name: 'loss_m3' },
        { data_src: 'loss', method_name: 'min', window_size: 'epoch', log_name: 'loss_min_epoch' },
        { data_src: 'loss', method_name: 'max', window_size: 'global', log_name: 'loss_max_global' },
        { data_src: 'loss', method_name: 'current', log_name: 'loss_cur' },
        { data_src: 'loss', method_name: 'mean', window_size: 'global', log_name: 'loss_mean_global' },
        { data_src: 'loss', method_name: 'max', window_size: 'epoch', log_name: 'loss_max_epoch' },
        { data_src: 'loss', method_name: 'min', window_size: 5, log_name: 'loss_min5' },
        { data_src: 'acc', method_name: 'max', log_name: 'absent' },
        // no log_name: overwrites loss in place
        { data_src: 'loss', method_name: 'min' },
      ],
    });
    const [tag, line] = p.getLogAfterIter(ctx12(), 3, 'train');
    expect(line).toBe(
      'Epoch(train) [1][ 4/20]    loss: 1.0000  loss_m3: 11.0000  loss_min_epoch: 9.0000  loss_max_global: 12.0000  loss_cur: 12.0000  loss_mean_global: 6.5000  loss_max_epoch: 12.0000  loss_min5: 8.0000',
    );
    expect('absent' in tag).toBe(false);
  });

  it('defaults method_name to mean and accepts statistics registered on HistoryBuffer', () => {
    HistoryBuffer.registerStatistic('range', (b, w) => b.max(w as number | undefined) - b.min(w as number | undefined));
    const p = proc({
      custom_cfg: [
        { data_src: 'loss', window_size: 2, log_name: 'm2' },
        { data_src: 'loss', method_name: 'range', window_size: 4, log_name: 'r4' },
      ],
    });
    expect(p.getLogAfterIter(ctx12(), 3, 'train')[1]).toMatch(/m2: 11\.5000 {2}r4: 3\.0000$/);
  });

  it('rejects duplicate names, an epoch window without by_epoch, and unknown window strings', () => {
    expect(() => proc({ custom_cfg: [{ data_src: 'loss' }, { data_src: 'loss' }] })).toThrow(
      /duplicate log name "loss"[\s\S]*custom_cfg\.1|custom_cfg\.1[\s\S]*duplicate/,
    );
    expect(() =>
      proc({
        custom_cfg: [
          { data_src: 'a', log_name: 'x' },
          { data_src: 'b', log_name: 'x' },
        ],
      }),
    ).toThrow(ConfigError);
    expect(() => proc({ by_epoch: false, custom_cfg: [{ data_src: 'loss', window_size: 'epoch' }] })).toThrow(/by_epoch/);
    expect(() => LOG_PROCESSORS.build({ type: 'LogProcessor', custom_cfg: [{ data_src: 'loss', window_size: 'week' }] }, {}, 'log_processor')).toThrow(
      /log_processor\.custom_cfg\.0\.window_size/,
    );
    expect(() => LOG_PROCESSORS.build({ type: 'LogProcessor', custom_cfg: [{ data_src: 'loss', method: 'max' }] }, {}, 'log_processor')).toThrow(
      /unknown option "method"/,
    );
  });

  it('fails clearly on an unknown statistic when the line is made', () => {
    const p = proc({ custom_cfg: [{ data_src: 'loss', method_name: 'median' }] });
    expect(() => p.getLogAfterIter(ctx12(), 3, 'train')).toThrow(/unknown statistic "median"/);
  });
});

describe('LogProcessor: num_digits and log_with_hierarchy', () => {
  it('uses num_digits for fixed values and the lr exponent', () => {
    expect(proc({ num_digits: 2 }).getLogAfterIter(seed13(), 1, 'train')[1]).toBe(
      'Epoch(train) [1][2/5]  lr: 5.50e-02  eta: 0:00:07  time: 0.00  data_time: 0.00  loss: 1.35  loss_aux: 0.68',
    );
    expect(proc({ num_digits: 6 }).getLogAfterIter(seed13(), 1, 'train')[1]).toBe(
      'Epoch(train) [1][2/5]  lr: 5.500000e-02  eta: 0:00:07  time: 0.003000  data_time: 0.000400  loss: 1.351700  loss_aux: 0.675900',
    );
  });

  it('keeps train text unchanged and prefixes tag keys; val epoch text is prefixed', () => {
    const p = proc({ log_with_hierarchy: true, custom_cfg: [{ data_src: 'loss', method_name: 'max', log_name: 'loss_max' }] });
    const [tag, line] = p.getLogAfterIter(seed13(), 1, 'train');
    expect(line).toBe('Epoch(train) [1][2/5]  lr: 5.5000e-02  eta: 0:00:07  time: 0.0030  data_time: 0.0004  loss: 1.3517  loss_aux: 0.6759  loss_max: 1.3517');
    expect(Object.keys(tag)).toEqual(['train/lr', 'train/data_time', 'train/loss', 'train/loss_aux', 'train/time', 'train/loss_max', 'epoch', 'iter']);

    const ctx = valCtx();
    const [vtag, vline] = p.getLogAfterEpoch(ctx, 4, 'val');
    expect(vline).toBe('Epoch(val) [1][5/5]    val/toy/acc: 0.5000  val/data_time: 0.0007  val/time: 0.0011');
    expect(Object.keys(vtag)).toEqual(['val/toy/acc', 'val/data_time', 'val/time']);
  });
});

/** After one validation of 5 batches at the end of epoch 1, preceded by an older validation. */
function valCtx(earlier = true): Ctx {
  const ctx = new Ctx();
  ctx.epoch = 1;
  ctx.iter = 5;
  // an earlier validation's times must not enter this epoch's averages
  if (earlier) ctx.push('val/data_time', 9, 9, 9).push('val/time', 9, 9, 9);
  for (let i = 0; i < 5; i++) ctx.push('val/data_time', 0.0007).push('val/time', 0.0011);
  ctx.push('val/toy/acc', 0.5);
  ctx.messageHub.updateInfo('eta', 0.3);
  return ctx;
}

describe('LogProcessor: val and test lines', () => {
  it('prints val iteration lines without items, and the epoch line with epoch-averaged times (seed 15)', () => {
    expect(proc().getLogAfterIter(valCtx(false), 1, 'val')[1]).toBe('Epoch(val) [1][2/5]    eta: 0:00:00  time: 0.0011  data_time: 0.0007');
    const [tag, line] = proc().getLogAfterEpoch(valCtx(), 4, 'val');
    expect(line).toBe('Epoch(val) [1][5/5]    toy/acc: 0.5000  data_time: 0.0007  time: 0.0011');
    expect(Object.keys(tag)).toEqual(['toy/acc', 'data_time', 'time']);
    expect(tag['toy/acc']).toBe(0.5);
  });

  it('prints standalone validation as epoch 0, with the space MMEngine leaves out (seed 16)', () => {
    const ctx = valCtx(false);
    ctx.hasTrainLoop = false;
    ctx.epoch = 0;
    expect(proc().getLogAfterIter(ctx, 1, 'val')[1]).toBe('Epoch(val) [0][2/5]    eta: 0:00:00  time: 0.0011  data_time: 0.0007');
    expect(proc().getLogAfterEpoch(ctx, 4, 'val')[1]).toMatch(/^Epoch\(val\) \[0\]\[5\/5\] {4}toy\/acc: 0\.5000/);
  });

  it('prints test lines and keeps non-scalar results for the test JSON (seeds 15, 19)', () => {
    const ctx = new Ctx();
    for (let i = 0; i < 4; i++) ctx.push('test/data_time', 0.0002).push('test/time', 0.0004);
    ctx.push('test/toy/acc', 0.8);
    ctx.messageHub.updateInfo('eta', 0);
    ctx.messageHub.updateInfo('test/confusion', [1, 2]);
    expect(proc().getLogAfterIter(ctx, 1, 'test')[1]).toBe('Epoch(test) [2/4]    eta: 0:00:00  time: 0.0004  data_time: 0.0002');
    const [tag, line] = proc().getLogAfterEpoch(ctx, 3, 'test', true);
    expect(line).toBe('Epoch(test) [4/4]    toy/acc: 0.8000  confusion: \n[1,2]\n  data_time: 0.0002  time: 0.0004');
    expect(tag).toEqual({ 'toy/acc': 0.8, confusion: [1, 2], data_time: expect.any(Number), time: expect.any(Number) });
    expect(Object.keys(proc().getLogAfterEpoch(ctx, 3, 'test', false)[0])).toEqual(['toy/acc', 'data_time', 'time']);
  });

  it('prints iteration-based val lines (seed 17)', () => {
    const ctx = new Ctx().push('val/toy/acc', 0.5);
    ctx.lengths.val = 3;
    expect(proc({ by_epoch: false }).getLogAfterEpoch(ctx, 2, 'val')[1]).toBe('Iter(val) [3/3]    toy/acc: 0.5000');
    ctx.push('val/data_time', 0.1).push('val/time', 0.2);
    ctx.messageHub.updateInfo('eta', 1);
    expect(proc({ by_epoch: false }).getLogAfterIter(ctx, 1, 'val')[1]).toBe('Iter(val) [2/3]    eta: 0:00:01  time: 0.2000  data_time: 0.1000');
  });

  it('averages metrics named like losses over the last window_size validations (MMEngine quirk 7)', () => {
    const ctx = new Ctx().push('val/val_loss', 1, 0.5);
    ctx.epoch = 2;
    expect(proc().getLogAfterEpoch(ctx, 4, 'val')[1]).toBe('Epoch(val) [2][5/5]    val_loss: 0.7500');
  });
});

describe('number formats', () => {
  it('formats fixed values as Python does, ties to even included', () => {
    const cases: Array<[number, number, string]> = [
      [0.40625, 4, '0.4062'],
      [0.03125, 4, '0.0312'],
      [0.375, 2, '0.38'],
      [2.5, 0, '2'],
      [3.5, 0, '4'],
      [-0.125, 2, '-0.12'],
      [0.12345, 4, '0.1235'],
      [1, 4, '1.0000'],
      [Number.NaN, 4, 'nan'],
      [Number.POSITIVE_INFINITY, 4, 'inf'],
    ];
    for (const [v, d, s] of cases) expect(formatFixed(v, d)).toBe(s);
  });

  it('formats exponents with two digits and timedeltas like Python', () => {
    expect(formatExp(0.055, 4)).toBe('5.5000e-02');
    expect(formatExp(1e-100, 2)).toBe('1.00e-100');
    expect(formatExp(12345, 4)).toBe('1.2345e+04');
    expect(formatTimedelta(7.9)).toBe('0:00:07');
    expect(formatTimedelta(3723)).toBe('1:02:03');
    expect(formatTimedelta(90061)).toBe('1 day, 1:01:01');
    expect(formatTimedelta(2 * 86400)).toBe('2 days, 0:00:00');
  });
});
