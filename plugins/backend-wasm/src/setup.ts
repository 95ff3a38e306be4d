import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { type BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError, type EnvConfig, defineOptions, getLogger, parseOptions, z } from '@trainkit/core';
import { registerTrainingKernels, registeredTrainingKernels } from './kernels/register.js';
import { prepareThreadedInit, unrefThreadWorkers } from './threads.js';

/** `env_cfg.backend_options` when `env_cfg.backend` is `wasm`. */
export const wasmBackendOptions = defineOptions({
  /** Use the SIMD build where the runtime has wasm SIMD (default true; false forces the plain build). */
  simd: z.boolean().optional(),
  /** Replace the wasm kernels that are slow for training (matmul with transposes, conv input gradient, max-pool gradient). Default true. */
  replace_slow_kernels: z.boolean().optional(),
  /** Register the fused optimizer-update and softmax cross-entropy kernels (one kernel where the composite ops run many). Default true. */
  fused_kernels: z.boolean().optional(),
  /** Where the .wasm binaries live (`setWasmPaths`): a folder prefix or a map of file names. Node finds them itself. */
  wasm_paths: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
});

export type WasmBackendOptions = z.input<typeof wasmBackendOptions>;

/** What the wasm backend ended up with. */
export interface WasmBackendInfo {
  threads: number;
  simd: boolean;
  kernels: string[];
}

let lastInfo: WasmBackendInfo | undefined;

/**
 * Starts tfjs's wasm backend for training: threads as `env_cfg.num_threads` asks (1 by default:
 * the plain SIMD build; more: the threaded build on worker_threads), SIMD where the runtime has
 * it, and this plugin's kernels registered for `wasm`. Returns `'wasm'`.
 *
 * The thread count and the build are fixed when the backend first starts in a process; asking
 * for others later is reported and ignored.
 */
export async function setupWasmBackend(env: EnvConfig = {}): Promise<string> {
  const opts = parseOptions(wasmBackendOptions, env.backend_options ?? {}, 'env_cfg.backend_options', 'the wasm backend');
  const asked = requestedThreads(env.num_threads);
  const threads = Math.min(asked, maxThreads());
  if (threads < asked) getLogger().warn(`env_cfg.num_threads: ${asked} is more than this machine's ${maxThreads()} usable threads; using ${threads}`);
  const started = isStarted();
  let cleanup: (() => void) | undefined;
  if (!started) {
    if (opts.wasm_paths !== undefined) setWasmPaths(opts.wasm_paths as Parameters<typeof setWasmPaths>[0]);
    if (opts.simd === false) tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
    setThreadsCount(threads);
    if (threads > 1) cleanup = prepareThreadedInit(threads);
  }
  registerTrainingKernels({ replaceSlowKernels: opts.replace_slow_kernels ?? true, fusedKernels: opts.fused_kernels ?? true });
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok)
      throw new ConfigError('the wasm backend failed to start', {
        path: 'env_cfg.backend',
        fix: "check the log above for tfjs's reason, or use backend: 'cpu'",
      });
    await tf.ready();
  } finally {
    cleanup?.();
  }
  if (!started && threads > 1) unrefThreadWorkers((tf.engine().registry.wasm as BackendWasm | undefined)?.wasm);
  const info: WasmBackendInfo = {
    threads: getThreadsCount(),
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
    kernels: registeredTrainingKernels(),
  };
  if (started && info.threads !== threads) {
    getLogger().warn(
      `env_cfg.num_threads: the wasm backend already runs with ${info.threads} thread(s) in this process; ${threads} takes effect in a new process`,
    );
  } else if (!started && info.threads !== threads) {
    getLogger().warn(`env_cfg.num_threads: asked for ${threads} threads, the wasm backend runs ${info.threads}`);
  }
  if (!started) getLogger().info(`wasm backend: ${info.threads} thread(s), ${info.simd ? 'SIMD' : 'no SIMD'}, training kernels: ${info.kernels.join(', ')}`);
  lastInfo = info;
  return 'wasm';
}

/** The thread count, SIMD and kernels of the running wasm backend, once set up. */
export function wasmBackendInfo(): WasmBackendInfo | undefined {
  return lastInfo;
}

/** Bytes of the wasm heap: tensors plus XNNPACK's packed weights and free space; it never shrinks. */
export function wasmMemoryBytes(): number | undefined {
  if (!isStarted()) return undefined;
  const backend = tf.engine().registry.wasm as BackendWasm | undefined;
  return (backend?.wasm as { HEAPU8?: Uint8Array } | undefined)?.HEAPU8?.buffer.byteLength;
}

function isStarted(): boolean {
  return tf.engine().registry.wasm !== undefined;
}

function requestedThreads(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError('num_threads must be a positive integer', { path: 'env_cfg.num_threads', found: value, fix: 'e.g. num_threads: 1' });
  }
  return value;
}

/** The wasm module's thread pool holds at most 8 workers, and more threads than cores only contend. */
function maxThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(8, Math.max(cores, 1));
}
