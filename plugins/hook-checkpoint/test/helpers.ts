import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type ConfigObject, type CreateRunnerOptions, Hook, type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import '../src/index.js';

export { tempDir, toyConfig };

/** The text log of a run. */
export function logOf(runner: Runner): string {
  return fs.readFileSync(path.join(runner.logDir, `${path.basename(runner.logDir)}.log`), 'utf8');
}

/** Checkpoint files (`*.safetensors`) in a folder, sorted. */
export function checkpointFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.safetensors'))
    .sort();
}

/**
 * MMEngine's toy setup (10 samples, batch 2, SGD lr 0.1, seed 42) with INFO logs going to the
 * log file only; the logger hook (another plugin) is left out.
 */
export function toy(workDir: string, overrides: ConfigObject = {}): ConfigObject {
  const hooks = (overrides.default_hooks ?? {}) as ConfigObject;
  return toyConfig(workDir, { log_level: 'INFO', ...overrides, default_hooks: { logger: null, ...hooks } });
}

/** Builds a runner without echoing its log to the terminal (tests read the log file). */
export async function quietRunner(cfg: ConfigObject, opts: CreateRunnerOptions = {}): Promise<Runner> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    const runner = await createRunner(cfg, opts);
    runner.logger.setConsole(() => {});
    return runner;
  } finally {
    process.stdout.write = write;
  }
}

/** Builds, trains and disposes a toy runner; returns it (for its paths) and its log. */
export async function trainToy(workDir: string, overrides: ConfigObject = {}): Promise<{ runner: Runner; log: string }> {
  const runner = await quietRunner(toy(workDir, overrides));
  try {
    await runner.train();
  } finally {
    await runner.dispose();
  }
  return { runner, log: logOf(runner) };
}

/** The CheckpointHook entry of default_hooks with options. */
export const checkpoint = (opts: Record<string, unknown>) => ({ checkpoint: { type: 'CheckpointHook', ...opts } });

/** A hook that asks the runner to stop after `n` iterations (as Ctrl-C would). */
export class StopAfter extends Hook {
  constructor(readonly n: number) {
    super();
  }
  override afterTrainIter(runner: Runner): void {
    if (runner.iter + 1 === this.n) runner.requestStop();
  }
}

/** Weights of a model as raw bytes, for bitwise comparison. */
export function weightBytes(runner: Runner): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(runner.model.stateDict())) {
    const d = v.dataSync() as Float32Array;
    out[k] = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }
  return out;
}

export { tf };
