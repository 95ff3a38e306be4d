import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type Code, F32, type FunctionDef, I32, V128, encodeModule, op } from './encode.js';

/*
 * The optimizer updates as wasm SIMD loops over the wasm backend's heap, four floats at a time,
 * in float32 like the composite ops (each operation rounded, in the composite's order). They
 * cover whole vectors of four; the kernels finish the last 0 to 3 elements in JS. Pointers and
 * lengths are byte offsets into the heap.
 */

/** A function under construction: named parameters and locals, and expression helpers. */
class Fn {
  private readonly names = new Map<string, number>();
  private readonly types: number[] = [];
  private readonly paramCount: number;
  private readonly floats: string[];

  constructor(
    readonly name: string,
    pointers: string[],
    flags: string[],
    floats: string[],
    temps: string[],
  ) {
    for (const n of [...pointers, 'bytes', ...flags]) this.add(n, I32);
    for (const n of floats) this.add(n, F32);
    this.paramCount = this.types.length;
    this.floats = floats;
    this.add('i', I32);
    for (const n of floats) this.add(`${n}4`, V128);
    for (const n of temps) this.add(n, V128);
  }

  private add(n: string, type: number): void {
    this.names.set(n, this.types.length);
    this.types.push(type);
  }

  /** A parameter or local by name (a float parameter's splat is `name4`). */
  get(n: string): Code {
    const i = this.names.get(n);
    if (i === undefined) throw new Error(`simd loop ${this.name}: no local ${n}`);
    return op.get(i);
  }

  set(n: string, value: Code): Code {
    return [...value, ...op.set(this.names.get(n) as number)];
  }

  load(pointer: string): Code {
    return [...this.get(pointer), ...this.get('i'), ...op.i32Add, ...op.v128Load];
  }

  store(pointer: string, value: Code): Code {
    return [...this.get(pointer), ...this.get('i'), ...op.i32Add, ...value, ...op.v128Store];
  }

  /** `for (i = 0; i < bytes; i += 16) body`, after splatting every float parameter. */
  define(body: Code): FunctionDef {
    const splats = this.floats.flatMap((n) => this.set(`${n}4`, [...this.get(n), ...op.splat]));
    const loop = [
      ...op.block,
      ...op.loop,
      ...[...this.get('i'), ...this.get('bytes'), ...op.i32GeU, ...op.brIf(1)],
      ...body,
      ...this.set('i', [...this.get('i'), ...op.i32(16), ...op.i32Add]),
      ...op.br(0),
      ...op.end,
      ...op.end,
    ];
    return { name: this.name, params: this.types.slice(0, this.paramCount), locals: this.types.slice(this.paramCount), body: [...splats, ...loop] };
  }
}

const add = (a: Code, b: Code): Code => [...a, ...b, ...op.add];
const sub = (a: Code, b: Code): Code => [...a, ...b, ...op.sub];
const mul = (a: Code, b: Code): Code => [...a, ...b, ...op.mul];
const div = (a: Code, b: Code): Code => [...a, ...b, ...op.div];
const sqrt = (a: Code): Code => [...a, ...op.sqrt];

/** `sign * g + wd * p`: the gradient under maximize and L2 weight decay. */
function decayedGrad(f: Fn): Code {
  return add(mul(f.get('sign4'), f.load('g')), mul(f.get('wd4'), f.get('vp')));
}

function sgdPlain(): FunctionDef {
  const f = new Fn('sgd', ['p', 'g', 'outP'], [], ['sign', 'wd', 'lr'], ['vp']);
  return f.define([...f.set('vp', f.load('p')), ...f.store('outP', sub(f.get('vp'), mul(decayedGrad(f), f.get('lr4'))))]);
}

/** Momentum SGD; the first step passes the gradient as the buffer with mom 0 and keep 1. */
function sgdMomentum(): FunctionDef {
  const f = new Fn('sgdMomentum', ['p', 'g', 'b', 'outP', 'outB'], [], ['sign', 'wd', 'mom', 'keep', 'lr', 'cd', 'cb'], ['vp', 'vd', 'vb']);
  return f.define([
    ...f.set('vp', f.load('p')),
    ...f.set('vd', decayedGrad(f)),
    ...f.set('vb', add(mul(f.load('b'), f.get('mom4')), mul(f.get('vd'), f.get('keep4')))),
    ...f.store('outB', f.get('vb')),
    // nesterov: d + momentum * b (cd 1, cb momentum); plain: b (cd 0, cb 1)
    ...f.store('outP', sub(f.get('vp'), mul(add(mul(f.get('vd'), f.get('cd4')), mul(f.get('vb'), f.get('cb4'))), f.get('lr4')))),
  ]);
}

function adam(): FunctionDef {
  const f = new Fn(
    'adam',
    ['p', 'g', 'm', 'v', 'vmax', 'outP', 'outM', 'outV', 'outVmax'],
    ['amsgrad'],
    ['sign', 'wd', 'b1', 'c1', 'b2', 'c2', 'shrink', 'stepSize', 'bias2', 'eps'],
    ['vp', 'vg', 'vm', 'vv'],
  );
  return f.define([
    ...f.set('vp', f.load('p')),
    ...f.set('vg', decayedGrad(f)),
    ...f.set('vm', add(mul(f.load('m'), f.get('b14')), mul(f.get('vg'), f.get('c14')))),
    ...f.store('outM', f.get('vm')),
    ...f.set('vv', add(mul(f.load('v'), f.get('b24')), mul(mul(f.get('vg'), f.get('vg')), f.get('c24')))),
    ...f.store('outV', f.get('vv')),
    ...[...f.get('amsgrad'), ...op.if, ...f.set('vv', [...f.load('vmax'), ...f.get('vv'), ...op.max]), ...f.store('outVmax', f.get('vv')), ...op.end],
    ...f.store(
      'outP',
      sub(mul(f.get('vp'), f.get('shrink4')), mul(div(f.get('vm'), add(div(sqrt(f.get('vv')), f.get('bias24')), f.get('eps4'))), f.get('stepSize4'))),
    ),
  ]);
}

function rmsprop(): FunctionDef {
  const f = new Fn(
    'rmsprop',
    ['p', 'g', 'sq', 'ga', 'buf', 'outP', 'outSq', 'outGa', 'outBuf'],
    ['centered', 'hasMomentum'],
    ['sign', 'wd', 'alpha', 'c', 'eps', 'mom', 'lr'],
    ['vp', 'vg', 'vs', 'vga', 'vavg', 'vb'],
  );
  return f.define([
    ...f.set('vp', f.load('p')),
    ...f.set('vg', decayedGrad(f)),
    ...f.set('vs', add(mul(f.load('sq'), f.get('alpha4')), mul(mul(f.get('vg'), f.get('vg')), f.get('c4')))),
    ...f.store('outSq', f.get('vs')),
    ...f.get('centered'),
    ...op.if,
    ...f.set('vga', add(mul(f.load('ga'), f.get('alpha4')), mul(f.get('vg'), f.get('c4')))),
    ...f.store('outGa', f.get('vga')),
    ...f.set('vavg', add(sqrt(sub(f.get('vs'), mul(f.get('vga'), f.get('vga')))), f.get('eps4'))),
    ...op.else,
    ...f.set('vavg', add(sqrt(f.get('vs')), f.get('eps4'))),
    ...op.end,
    ...f.get('hasMomentum'),
    ...op.if,
    ...f.set('vb', add(mul(f.load('buf'), f.get('mom4')), div(f.get('vg'), f.get('vavg')))),
    ...f.store('outBuf', f.get('vb')),
    ...f.store('outP', sub(f.get('vp'), mul(f.get('vb'), f.get('lr4')))),
    ...op.else,
    ...f.store('outP', sub(f.get('vp'), mul(div(f.get('vg'), f.get('vavg')), f.get('lr4')))),
    ...op.end,
  ]);
}

function adagrad(): FunctionDef {
  const f = new Fn('adagrad', ['p', 'g', 's', 'outP', 'outS'], [], ['sign', 'wd', 'eps', 'lr'], ['vp', 'vg', 'vs']);
  return f.define([
    ...f.set('vp', f.load('p')),
    ...f.set('vg', decayedGrad(f)),
    ...f.set('vs', add(f.load('s'), mul(f.get('vg'), f.get('vg')))),
    ...f.store('outS', f.get('vs')),
    ...f.store('outP', sub(f.get('vp'), mul(div(f.get('vg'), add(sqrt(f.get('vs')), f.get('eps4'))), f.get('lr4')))),
  ]);
}

type Loop = (...args: number[]) => void;

/** The few WebAssembly JS API members used here (Node's global; @types/node 20 does not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => { buffer: ArrayBufferLike };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export interface OptimizerLoops {
  sgd: Loop;
  sgdMomentum: Loop;
  adam: Loop;
  rmsprop: Loop;
  adagrad: Loop;
}

const instances = new WeakMap<object, OptimizerLoops | null>();
let disabled = false;

/** Turns the SIMD loops off (the kernels then run their JS loops), for tests and comparisons. */
export function setSimdLoopsEnabled(on: boolean): void {
  disabled = !on;
}

/**
 * The loops bound to the backend's heap, or undefined where they cannot run: no wasm SIMD in the
 * runtime, or a backend whose memory is not reachable (the kernels then use their JS loops).
 */
export function optimizerLoops(backend: BackendWasm): OptimizerLoops | undefined {
  if (disabled) return undefined;
  // the plain build exports its memory; the threaded build imports a shared one it keeps as wasmMemory
  const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof wasmApi.Memory)) return undefined;
  let loops = instances.get(memory);
  if (loops === undefined) {
    loops = null;
    if (hasWasmSimd()) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = encodeModule([sgdPlain(), sgdMomentum(), adam(), rmsprop(), adagrad()], shared);
      loops = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports as unknown as OptimizerLoops;
    }
    instances.set(memory, loops);
  }
  return loops ?? undefined;
}

/** Whether the runtime validates a function with a v128 local (wasm SIMD; Node 16.4+ has it). */
function hasWasmSimd(): boolean {
  const probe = encodeModule([{ name: 'probe', params: [], locals: [V128], body: [...op.get(0), 0x1a] }], false);
  return wasmApi.validate(probe);
}

/** Byte offset of a tensor's data on the heap. */
export function heapOffset(backend: BackendWasm, dataId: object): number {
  return (backend.dataIdMap.get(dataId) as unknown as { memoryOffset: number }).memoryOffset;
}
