import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainkitError } from '@trainkit/core';

/** The Debian packages the binding builds and runs against. */
export const DEBIAN_PACKAGES = 'libgloo-dev libhiredis-dev g++ make python3';

export class GlooUnavailableError extends TrainkitError {}

interface NativeGroup {
  connect(opts: {
    rank: number;
    size: number;
    timeoutMs: number;
    prefix: string;
    hostname: string;
    store: { type: 'tcp' | 'file' | 'redis'; host?: string; port?: number; path?: string };
  }): Promise<void>;
  allreduce(buf: ArrayBufferView, op: string, timeoutMs: number): Promise<void>;
  broadcast(buf: ArrayBufferView, root: number, timeoutMs: number): Promise<void>;
  allgather(input: ArrayBufferView, output: ArrayBufferView, timeoutMs: number): Promise<void>;
  gather(input: ArrayBufferView, output: ArrayBufferView | null, root: number, timeoutMs: number): Promise<void>;
  barrier(timeoutMs: number): Promise<void>;
  close(): void;
}

export interface NativeBinding {
  ProcessGroup: new () => NativeGroup;
  glooVersion: string;
}
export type { NativeGroup };

let binding: NativeBinding | undefined;

/** The compiled binding (build/Release/trainkit_gloo.node), or an error that says how to get it. */
export function loadBinding(): NativeBinding {
  if (binding) return binding;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = path.join(root, 'build', 'Release', 'trainkit_gloo.node');
  if (!fs.existsSync(file)) {
    throw new GlooUnavailableError(
      `@trainkit/dist-gloo: the Gloo binding is not built (${file} is missing)\n  fix: install the Debian packages (as root): apt-get install -y ${DEBIAN_PACKAGES}\n       then rebuild: pnpm rebuild @trainkit/dist-gloo (or npm rebuild @trainkit/dist-gloo)`,
    );
  }
  try {
    binding = createRequire(import.meta.url)(file) as NativeBinding;
  } catch (e) {
    throw new GlooUnavailableError(
      `@trainkit/dist-gloo: cannot load the Gloo binding: ${(e as Error).message.split('\n')[0]}\n  fix: apt-get install -y libgloo0 libhiredis0.14 (or ${DEBIAN_PACKAGES}), then pnpm rebuild @trainkit/dist-gloo`,
    );
  }
  return binding;
}
