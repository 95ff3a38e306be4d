import { EventEmitter } from 'node:events';
import { Worker, type WorkerOptions } from 'node:worker_threads';

type Transfer = Parameters<Worker['postMessage']>[1];

/**
 * A pthread-pool worker of the Emscripten module that starts its thread on first real use.
 *
 * The threaded wasm build fills a pool of 8 workers at start-up, whatever the thread count, and
 * waits until each has loaded the module: 8 Node workers booting on a 2-core machine cost most of
 * a second, for the one or two threads XNNPACK then runs. This stand-in answers the pool's `load`
 * message at once and starts the real worker when a thread is run on it, posting the `load`
 * message first: the worker script handles messages in order and loads synchronously, which is
 * also how Emscripten itself starts a worker when its pool is empty.
 */
export class LazyPoolWorker extends EventEmitter {
  #real: Worker | undefined;
  #load: [unknown, Transfer] | undefined;
  #referenced = true;

  constructor(
    private readonly file: string | URL,
    private readonly options?: WorkerOptions,
  ) {
    super();
  }

  /** Whether the worker's thread was started (for tests). */
  get started(): boolean {
    return this.#real !== undefined;
  }

  get threadId(): number {
    return this.#real?.threadId ?? -1;
  }

  postMessage(message: unknown, transfer?: Transfer): void {
    if (!this.#real && !this.#load && isLoad(message)) {
      this.#load = [message, transfer];
      setImmediate(() => this.emit('message', { cmd: 'loaded' }));
      return;
    }
    this.#start().postMessage(message, transfer);
  }

  ref(): void {
    this.#referenced = true;
    this.#real?.ref();
  }

  unref(): void {
    this.#referenced = false;
    this.#real?.unref();
  }

  async terminate(): Promise<number> {
    return this.#real ? this.#real.terminate() : 0;
  }

  #start(): Worker {
    if (this.#real) return this.#real;
    const real = new Worker(this.file, this.options);
    this.#real = real;
    if (!this.#referenced) real.unref();
    // the pool already had its 'loaded' from us
    let answered = this.#load !== undefined;
    real.on('message', (data: { cmd?: string } | undefined) => {
      if (answered && data?.cmd === 'loaded') {
        answered = false;
        return;
      }
      this.emit('message', data);
    });
    for (const event of ['error', 'exit', 'online', 'messageerror']) real.on(event, (...args: unknown[]) => this.emit(event, ...args));
    if (this.#load) real.postMessage(...this.#load);
    return real;
  }
}

function isLoad(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === 'load';
}
