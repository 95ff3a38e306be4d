import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type ConfigObject, type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProfileResult, ProfilerHook, stepAction } from '../src/index.js';

const runners: Runner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose();
});

async function train(profiler: Record<string, unknown>, overrides: ConfigObject = {}): Promise<{ runner: Runner; log: string }> {
  const runner = await createRunner(
    toyConfig(tempDir(), {
      default_hooks: { logger: null, param_scheduler: null, checkpoint: null },
      custom_hooks: [{ type: 'ProfilerHook', ...profiler }],
      ...overrides,
    }),
  );
  runners.push(runner);
  const lines: string[] = [];
  runner.logger.level = 'INFO';
  runner.logger.setConsole((l) => lines.push(l));
  await runner.train();
  return { runner, log: lines.join('\n') };
}

const profilerDir = (r: Runner) => path.join(r.logDir, 'profiler');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('ProfilerHook', () => {
  it('writes a Chrome trace, a kernel table and a .cpuprofile for the first iterations', async () => {
    const { runner, log } = await train({ by_epoch: false, profile_times: 3 });
    const dir = profilerDir(runner);
    expect(fs.readdirSync(dir).sort()).toEqual(['iter_1-3.cpuprofile', 'iter_1-3.kernels.txt', 'iter_1-3.trace.json']);

    const trace = readJson(path.join(dir, 'iter_1-3.trace.json'));
    const events = trace.traceEvents as Array<{ ph: string; name: string; tid?: number; ts?: number; dur?: number }>;
    const iterations = events.filter((e) => e.ph === 'X' && e.name.startsWith('iter '));
    expect(iterations.map((e) => e.name)).toEqual(['iter 1', 'iter 2', 'iter 3']);
    expect(iterations[0].ts).toBe(0);
    const kernels = events.filter((e) => e.ph === 'X' && e.tid === 2);
    expect(kernels.length).toBeGreaterThan(10);
    expect(kernels.map((k) => k.name)).toContain('BatchMatMul'); // the toy model's matMul
    for (const e of events.filter((x) => x.ph === 'X')) {
      expect(Number.isFinite(e.ts)).toBe(true);
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    expect(events.find((e) => e.ph === 'M' && e.tid === 2)).toMatchObject({ args: { name: 'tfjs kernels (cpu)' } });

    const table = fs.readFileSync(path.join(dir, 'iter_1-3.kernels.txt'), 'utf8');
    expect(table).toMatch(/^Kernel +Calls +Total ms +Mean ms +% kernels\n/);
    expect(table).toMatch(/\nBatchMatMul +\d+ +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d%/);
    expect(table).toContain('3 iteration(s): ');
    expect(log).toContain('ProfilerHook: kernels of iter_1-3 (cpu backend)');

    const cpu = readJson(path.join(dir, 'iter_1-3.cpuprofile'));
    expect(Object.keys(cpu)).toEqual(expect.arrayContaining(['nodes', 'startTime', 'endTime', 'samples', 'timeDeltas']));
    expect(cpu.nodes[0].callFrame.functionName).toBe('(root)');

    // profiling is off again and training went on without leaking
    expect((tf.engine().state as unknown as { profiling: boolean }).profiling).toBe(false);
    expect(runner.iter).toBe(10);
  });

  it('profiles the whole first epoch by default', async () => {
    let result: ProfileResult | undefined;
    const { runner } = await train({ activity_with_cpu: false, on_trace_ready: (r: ProfileResult) => (result = r) });
    expect(fs.readdirSync(profilerDir(runner)).sort()).toEqual(['epoch_1.kernels.txt', 'epoch_1.trace.json']);
    expect(result!.label).toBe('epoch_1');
    expect(result!.iterations.map((i) => i.iter)).toEqual([0, 1, 2, 3, 4]);
    expect(result!.iterations[0].kernels.some((k) => k.name === 'BatchMatMul' && k.timeMs >= 0)).toBe(true);
  });

  it('follows a schedule: wait, warmup, then windows of active iterations', async () => {
    const { runner } = await train(
      { by_epoch: false, profile_times: 10, activity_with_cpu: false, schedule: { wait: 1, warmup: 1, active: 2, repeat: 2 } },
      { train_cfg: { by_epoch: false, max_iters: 12, val_interval: 100 } },
    );
    expect(fs.readdirSync(profilerDir(runner)).sort()).toEqual(['iter_3-4.kernels.txt', 'iter_3-4.trace.json', 'iter_7-8.kernels.txt', 'iter_7-8.trace.json']);
  });

  it('adds shapes, memory and a live-bytes counter when asked, and honours json_trace_path', async () => {
    const { runner } = await train({
      by_epoch: false,
      activity_with_cpu: false,
      record_shapes: true,
      profile_memory: true,
      json_trace_path: 'traces/toy.json',
      on_trace_ready: { type: 'log_trace', sort_by: 'calls', row_limit: 3 },
    });
    const trace = readJson(path.join(runner.logDir, 'traces', 'toy.json'));
    const matmul = trace.traceEvents.find((e: { name: string }) => e.name === 'BatchMatMul');
    expect(matmul.args).toMatchObject({ inputShapes: expect.any(Array), outputShapes: expect.any(Array), bytesAdded: expect.any(Number) });
    expect(trace.traceEvents.some((e: { ph: string }) => e.ph === 'C')).toBe(true);
    const table = fs.readFileSync(path.join(profilerDir(runner), 'iter_1-1.kernels.txt'), 'utf8');
    expect(table).toContain('Bytes added');
    expect(table).toMatch(/more \(row_limit 3\)/);
  });

  it('rejects what it cannot do', async () => {
    expect(() => new ProfilerHook({ activity_with_kernels: false, activity_with_cpu: false })).toThrow(/nothing to record/);
    expect(() => new ProfilerHook({ on_trace_ready: { type: 'tb_trace' } })).toThrow(/tb_trace/);
    expect(() => new ProfilerHook({ on_trace_ready: { type: 'log_trace', rows: 3 } })).toThrow(/unknown option "rows"/);
    await expect(train({ by_epoch: false, profile_times: 11 })).rejects.toThrow(
      /ProfilerHook\.profile_times: profile_times 11 is more than the run has iterations \(10\)/,
    );
  });

  it('schedules like torch.profiler.schedule', () => {
    const s = { wait: 1, warmup: 1, active: 2, repeat: 1, skip_first: 2 };
    expect(Array.from({ length: 10 }, (_, i) => stepAction(i, s))).toEqual([
      'skip',
      'skip',
      'skip',
      'warmup',
      'record',
      'record_and_save',
      'skip',
      'skip',
      'skip',
      'skip',
    ]);
    const forever = { wait: 0, warmup: 0, active: 1, repeat: 0, skip_first: 0 };
    expect(stepAction(99, forever)).toBe('record_and_save');
  });
});
