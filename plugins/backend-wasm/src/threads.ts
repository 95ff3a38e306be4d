import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LazyPoolWorker } from './lazy-pool-worker.js';

/**
 * tfjs-backend-wasm ships a threaded build (XNNPACK on a pthreadpool) but never uses it in Node:
 * its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there (tfjs issue 3830), and its loader
 * hands the pthread workers `blob:` URLs, which Node's worker_threads cannot start. The Emscripten
 * worker script itself does support Node. So, around the backend's initialisation only:
 *
 * - the flag is set to true;
 * - `URL.createObjectURL` returns the path of a file holding the worker script (worker_threads
 *   starts files), prefixed with a few lines that point the worker's `load` message at the
 *   package's threaded factory file instead of the `blob:` the main thread sends;
 * - `os.cpus()` reports enough cores for the requested count: the wasm module caps its thread
 *   pool at half the logical cores (it assumes two hyper-threads per core), which on a 2-core
 *   machine would silently mean one thread;
 * - the pool's 8 workers are `LazyPoolWorker`s, which start a thread only when one is run on them
 *   (the module sets the global `Worker` when it starts; that assignment is kept for later).
 *
 * Every patch is undone when initialisation ends. Returns the cleanup to call then.
 */
export function prepareThreadedInit(threads: number): () => void {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factoryFile = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const workerFile = writeWorkerFile(factoryFile, wasmWorkerContents);

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = () => workerFile;
  os.cpus = () => {
    const list = cpus();
    // Some containers report no CPUs at all; the module only counts the entries.
    const filler = list[0] ?? { model: 'unknown', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
    while (list.length < 2 * threads) list.push(filler);
    return list;
  };
  const restoreWorker = lazyPoolWorkers();
  return () => {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
    restoreWorker();
  };
}

/**
 * While the module starts, the global `Worker` it assigns (worker_threads' Worker) reads as
 * `LazyPoolWorker`. Returns the undo, which leaves the global as the module set it: a pool that
 * runs out later allocates real workers, as Emscripten does.
 */
function lazyPoolWorkers(): () => void {
  const before = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  let assigned: unknown;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => LazyPoolWorker,
    set: (value: unknown) => {
      assigned = value;
    },
  });
  return () => {
    if (assigned !== undefined) Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, enumerable: true, value: assigned });
    else if (before) Object.defineProperty(globalThis, 'Worker', before);
    else delete (globalThis as { Worker?: unknown }).Worker;
  };
}

/**
 * Emscripten keeps a worker that runs a pthread referenced, and XNNPACK's thread pool runs its
 * threads for the life of the backend, so Node would never exit. The main thread drives all work
 * (it blocks until the pool's jobs finish), so nothing is lost by letting the process end.
 */
export function unrefThreadWorkers(wasm: unknown): void {
  const pthreads = (wasm as { PThread?: { runningWorkers?: { unref?(): void }[]; unusedWorkers?: { unref?(): void }[] } }).PThread;
  for (const worker of [...(pthreads?.runningWorkers ?? []), ...(pthreads?.unusedWorkers ?? [])]) worker.unref?.();
}

/**
 * The worker script as a file. Its content depends only on the package, so one file per content
 * (named by its hash) serves every process: nothing to clean up when a process is killed. A file
 * found there is used only if it holds exactly the expected bytes (the temp folder is shared).
 */
function writeWorkerFile(factoryFile: string, contents: string): string {
  // The main thread posts {cmd: 'load', urlOrBlob: <Blob of the factory>}; a worker in Node
  // can only load a file, so the message is rewritten to the package's own factory file.
  const prelude =
    `const __factory = ${JSON.stringify(factoryFile)};\n` +
    `const __port = require('worker_threads').parentPort;\n` +
    `const __on = __port.on.bind(__port);\n` +
    `__port.on = (event, fn) => __on(event, event === 'message' ? (d) => { if (d && d.cmd === 'load') d.urlOrBlob = __factory; fn(d); } : fn);\n`;
  // tfjs escapes newlines the same way before making its Blob: the script holds "\n" literals.
  const script = prelude + contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `trainkit-wasm-worker-${hash}.cjs`);
  if (reusable(file, script)) return file;
  const own = privateCopy(script);
  try {
    // Atomic: a process starting at the same moment finds either nothing or the whole file.
    fs.renameSync(own, file);
    fs.rmdirSync(path.dirname(own));
  } catch {
    return own;
  }
  return reusable(file, script) ? file : privateCopy(script);
}

/** Ours (not another user's in the shared folder) and exactly the script. */
function reusable(file: string, script: string): boolean {
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && fs.statSync(file).uid !== uid) return false;
    return fs.readFileSync(file, 'utf8') === script;
  } catch {
    return false;
  }
}

function privateCopy(script: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trainkit-wasm-')), 'worker.cjs');
  fs.writeFileSync(file, script);
  return file;
}
