import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type Attrs = Record<string, unknown>;

/** What tfjs hands a wasm kernel function, with the kernel's attributes typed. */
export interface KernelArgs<A> {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: A;
}

/** The kernels of the wasm backend as they were before this plugin replaced any of them. */
const originals = new Map<string, tf.KernelConfig>();

/** Remembers tfjs-backend-wasm's own kernel before it is replaced, so replacements can delegate. */
export function rememberOriginal(kernelName: string): tf.KernelConfig | undefined {
  const existing = originals.get(kernelName);
  if (existing) return existing;
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel) originals.set(kernelName, kernel);
  return kernel;
}

export function originalKernel(kernelName: string): tf.KernelConfig {
  const kernel = originals.get(kernelName) ?? tf.getKernel(kernelName, 'wasm');
  if (!kernel) throw new Error(`@trainkit/backend-wasm: the wasm backend has no '${kernelName}' kernel`);
  return kernel;
}

/**
 * Runs wasm kernels at the backend level, the way tfjs-backend-wasm's own composite kernels do.
 * Every output is a TensorInfo holding one reference on the backend's data; the scope owns it and
 * releases it with `backend.disposeData` unless it is the kernel's result. Nothing here goes
 * through the engine, so intermediates never become engine tensors: they are not taped, not
 * tracked by `tf.tidy`, not counted in `tf.memory()`, and a profile shows one row for the kernel
 * built on the scope. The result carries exactly the one reference the engine takes over.
 */
export class WasmScope {
  private readonly owned: Info[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs the wasm kernel currently registered under `kernelName` (replacements included). */
  run(kernelName: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`@trainkit/backend-wasm: the wasm backend has no '${kernelName}' kernel`);
    return this.own(kernel.kernelFunc({ inputs, attrs, backend: this.backend } as never) as Info);
  }

  /** Runs tfjs-backend-wasm's own kernel, bypassing this plugin's replacement of it. */
  runOriginal(kernelName: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    return this.own(originalKernel(kernelName).kernelFunc({ inputs, attrs, backend: this.backend } as never) as Info);
  }

  /** A new, uninitialised tensor on the wasm heap. */
  output(shape: number[], dtype: tf.DataType = 'float32'): Info {
    return this.own(this.backend.makeOutput(shape, dtype));
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: Info, perm: number[]): Info {
    return this.run('Transpose', { x }, { perm });
  }

  /**
   * A Float32Array over the tensor's bytes on the wasm heap. Take views only after the last
   * allocation of a kernel: growing the heap detaches every view taken before.
   */
  f32(x: Info): Float32Array {
    return this.backend.typedArrayFromHeap(x) as Float32Array;
  }

  i32(x: Info): Int32Array {
    return this.backend.typedArrayFromHeap(x) as Int32Array;
  }

  /** Gives the references of everything this scope made back to the backend, except `keep`. */
  release(keep?: Info): void {
    for (const info of this.owned) if (info !== keep) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }

  private own(info: Info): Info {
    this.owned.push(info);
    return info;
  }
}

/** Runs `body` in a scope and returns its result; every other intermediate is released, on errors too. */
export function inScope(backend: BackendWasm, body: (scope: WasmScope) => Info): Info {
  const scope = new WasmScope(backend);
  let result: Info | undefined;
  try {
    result = body(scope);
    return result;
  } finally {
    scope.release(result);
  }
}
