import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { HistoryBuffer, MessageHub } from '../src/index.js';

describe('HistoryBuffer and MessageHub (MMEngine seed 38)', () => {
  it('computes windowed, count-weighted statistics', () => {
    const b = new HistoryBuffer();
    for (let i = 1; i <= 5; i++) b.update(i);
    expect(b.mean()).toBe(3);
    expect(b.mean(2)).toBe(4.5);
    expect(b.max(3)).toBe(5);
    expect(b.min()).toBe(1);
    expect(b.current()).toBe(5);
    expect(b.mean(100)).toBe(3);
    const c = new HistoryBuffer();
    c.update(2, 2);
    c.update(3);
    expect(c.mean()).toBeCloseTo(5 / 3);
  });

  it('keeps at most max_length values, dropping the oldest, and grows without copying per update', () => {
    const b = new HistoryBuffer([], [], 100);
    for (let i = 0; i < 1000; i++) b.update(i);
    expect(b.length).toBe(100);
    expect(b.min()).toBe(900);
    expect(b.mean()).toBe(949.5);
    expect(HistoryBuffer.fromState(b.stateDict()).mean(10)).toBe(b.mean(10));
  });

  it('takes {value, count}, guards the resumed flag and keeps non-resumed keys out of its state', () => {
    const hub = new MessageHub();
    hub.updateScalars({ b: { value: 4, count: 2 } });
    expect(hub.getScalar('b').mean()).toBe(2);
    hub.updateInfo('foo', 1, false);
    expect(() => hub.updateInfo('foo', 2, true)).toThrow(/resumed/);
    hub.updateInfo('bar', 3);
    const state = hub.stateDict();
    expect(state.runtime_info).toEqual({ bar: 3 });
    const other = new MessageHub();
    other.loadStateDict(JSON.parse(JSON.stringify(state)));
    expect(other.getScalar('b').mean()).toBe(2);
    expect(other.getInfo('bar')).toBe(3);
  });

  it('reads tensor scalars lazily when asked to defer, without leaking them', () => {
    const hub = new MessageHub();
    hub.deferReads = true;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const t = tf.scalar(i);
      hub.updateScalar('train/loss', t);
      t.dispose();
    }
    expect(hub.heldTensors).toBe(10);
    expect(hub.getScalar('train/loss').mean()).toBe(4.5);
    expect(hub.heldTensors).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('settles pending tensors in one read, keeping the order of values across settles', async () => {
    const hub = new MessageHub();
    hub.deferReads = true;
    const before = tf.memory().numTensors;
    let settled = 0;
    hub.onSettled(() => settled++);
    const put = (key: string, v: number, dtype: 'float32' | 'int32' = 'float32') => {
      const t = tf.scalar(v, dtype);
      hub.updateScalar(key, t);
      t.dispose();
    };
    put('train/loss', 1);
    put('train/acc', 7, 'int32');
    const first = hub.settle();
    put('train/loss', 2);
    const second = hub.settle();
    put('train/loss', 3);
    await Promise.all([second, first]);
    expect(settled).toBe(2);
    expect(hub.heldTensors).toBe(1);
    await hub.settle();
    expect(hub.getScalar('train/loss').data().values).toEqual([1, 2, 3]);
    expect(hub.getScalar('train/acc').current()).toBe(7);
    expect(tf.memory().numTensors).toBe(before);
    await hub.settle();
    expect(settled).toBe(4);
  });
});
