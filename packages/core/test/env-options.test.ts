import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, type Runner, createRunner } from '../src/index.js';
import { registerThirdPartyBackend, tempDir, toyConfig } from '../src/testing/index.js';

const logOf = (runner: Runner) => fs.readFileSync(runner.logger.file as string, 'utf8');

describe('randomness.deterministic', () => {
  it('is honoured on cpu, which is deterministic as it is: the log says so and two runs are bit-identical', async () => {
    const weights: Float32Array[] = [];
    for (let i = 0; i < 2; i++) {
      const runner = await createRunner(toyConfig(tempDir(), { randomness: { seed: 3, deterministic: true }, log_level: 'INFO' }));
      expect(runner.backend).toBe('cpu');
      await runner.train();
      expect(logOf(runner)).toContain('randomness.deterministic: the cpu backend is deterministic as it is');
      weights.push(Float32Array.from(runner.model.namedParameters().flatMap(([, v]) => [...v.dataSync()])));
      await runner.dispose();
    }
    expect(Buffer.from(weights[0].buffer).equals(Buffer.from(weights[1].buffer))).toBe(true);
  });

  it('is refused on a backend that declares deterministic: false, with the reason it declares and the backends that are', async () => {
    registerThirdPartyBackend('gpu-like-third-party', { deterministic: false, nondeterminism: 'its reductions add up with atomics', syncReads: true });
    try {
      const err = await createRunner(
        toyConfig(tempDir(), { env_cfg: { backend: 'gpu-like-third-party' }, randomness: { seed: 1, deterministic: true } }),
      ).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(
        /^randomness\.deterministic: randomness\.deterministic is true, but the gpu-like-third-party backend cannot give bit-identical runs: its reductions add up with atomics/,
      );
      expect((err as Error).message).toMatch(
        /fix: train on env_cfg\.backend: ('\w+' or )*'cpu'( or '\w+')* \(deterministic\), or set randomness\.deterministic: false/,
      );
      // false is what such a backend does anyway
      await (await createRunner(toyConfig(tempDir(), { env_cfg: { backend: 'gpu-like-third-party' }, randomness: { deterministic: false } }))).dispose();
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('env_cfg options with no meaning on TensorFlow.js', () => {
  it('log one line each saying why they have no effect', async () => {
    const runner = await createRunner(
      toyConfig(tempDir(), {
        log_level: 'INFO',
        env_cfg: { cudnn_benchmark: true, mp_cfg: { mp_start_method: 'fork', opencv_num_threads: 0 } },
      }),
    );
    await runner.val();
    const log = logOf(runner);
    expect(log).toMatch(/WARNING - env_cfg\.cudnn_benchmark: true has no effect: TensorFlow\.js has no cuDNN autotuner/);
    expect(log).toMatch(/INFO - env_cfg\.mp_cfg \(mp_start_method, opencv_num_threads\) has no effect: trainkit loads data in the training process/);
    expect(log.match(/cudnn_benchmark/g)).toHaveLength(2); // the line, and the config dump
    await runner.dispose();
    const quiet = await createRunner(toyConfig(tempDir(), { log_level: 'INFO', env_cfg: { cudnn_benchmark: false } }));
    await quiet.val();
    expect(logOf(quiet)).toMatch(/INFO - env_cfg\.cudnn_benchmark has no effect/);
    await quiet.dispose();
  });

  it('still checks the keys inside mp_cfg', async () => {
    await expect(createRunner(toyConfig(tempDir(), { env_cfg: { mp_cfg: { opencv_num_thread: 0 } } }))).rejects.toThrow(
      /env_cfg\.mp_cfg\.opencv_num_thread: unknown option "opencv_num_thread" for env_cfg(\.mp_cfg)?\. Did you mean "opencv_num_threads"\?/,
    );
  });
});
