import * as tf from '@tensorflow/tfjs';
import type { OptimWrapperLike } from '@trainkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { DefaultOptimWrapperConstructor, type OptimWrapper, OptimWrapperDict } from '../src/index.js';
import { variable } from './helpers/fixtures.js';
import { disposeAll, linearLoss } from './helpers/losses.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('OptimWrapperDict', () => {
  it('is built from one wrapper config per model part and reports per member', () => {
    const g = variable([1]);
    const d = variable([2]);
    const model = { 'generator.w': g, 'discriminator.w': d };
    const dict = new DefaultOptimWrapperConstructor({
      optim_wrapper_cfg: {
        generator: { optimizer: { type: 'Adam', lr: 0.001 } },
        discriminator: { optimizer: { type: 'SGD', lr: 0.1, momentum: 0.5 }, clip_grad: { max_norm: 1 } },
      },
    }).build(model) as OptimWrapperDict;
    expect(dict).toBeInstanceOf(OptimWrapperDict);
    expect(dict.keys()).toEqual(['generator', 'discriminator']);
    expect(dict.getLr()).toEqual({ 'generator.lr': [0.001], 'discriminator.lr': [0.1] });
    expect(dict.getMomentum()).toEqual({ 'generator.momentum': [0.9], 'discriminator.momentum': [0.5] });
    expect(() => dict.updateParams(linearLoss(g, [1]))).toThrow(/call updateParams on each member/);
    disposeAll((dict.get('discriminator') as OptimWrapper).updateParams(linearLoss(d, [1])));
    expect(d.dataSync()[0]).toBeCloseTo(1.9, 6);
    expect(g.dataSync()[0]).toBe(1);
    const sd = dict.stateDict();
    expect(Object.keys(sd)).toEqual(['generator', 'discriminator']);
    expect(() => dict.loadStateDict({ critic: {} })).toThrow(/"critic", which is not a member/);
    dict.loadStateDict(sd);
    expect(dict.paramGroups).toHaveLength(2);
    dict.dispose();
    g.dispose();
    d.dispose();
  });

  it('wraps already built wrappers, and says which part names exist when one matches nothing', () => {
    const g = variable([1]);
    const built = new DefaultOptimWrapperConstructor({ optim_wrapper_cfg: { optimizer: { type: 'SGD', lr: 0.1 } } }).build([g]);
    const dict = new DefaultOptimWrapperConstructor({ optim_wrapper_cfg: { gen: built } }).build([g]) as OptimWrapperDict;
    expect(dict.get('gen')).toBe(built);
    expect(() => new OptimWrapperDict({ x: {} as OptimWrapperLike })).toThrow(/every value must be an OptimWrapper/);
    expect(() =>
      new DefaultOptimWrapperConstructor({ optim_wrapper_cfg: { critic: { optimizer: { type: 'SGD', lr: 0.1 } } } }).build({ 'generator.w': g }),
    ).toThrow(/optim_wrapper\.critic: no parameter of the model is named "critic\.\*"[\s\S]*generator/);
    dict.dispose();
    g.dispose();
  });
});
