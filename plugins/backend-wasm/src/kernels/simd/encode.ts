/*
 * Just enough of the WebAssembly binary format to build one small module of SIMD loops at run
 * time: functions of i32/f32 parameters over an imported memory (the wasm backend's own heap).
 * Built here rather than shipped as a .wasm file so the memory import can match the heap the
 * backend runs on (plain or shared), and so no toolchain is needed to change a loop.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export type Code = number[];

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const simd = (op: number) => [0xfd, ...uleb(op)];

/** Stack instructions the loops use. */
export const op = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number): Code => [0x21, ...uleb(i)],
  i32: (v: number): Code => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32GeU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Code => [0x0d, ...uleb(depth)],
  // memarg: alignment hint 0 (any address), offset 0
  v128Load: [...simd(0x00), 0, 0],
  v128Store: [...simd(0x0b), 0, 0],
  splat: simd(0x13),
  sqrt: simd(0xe3),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  max: simd(0xe9),
};

export interface FunctionDef {
  name: string;
  params: number[];
  /** Extra locals, by type, after the parameters. */
  locals: number[];
  body: Code;
}

/** A module importing `env.memory` (shared when the heap is) and exporting `functions`. */
export function encodeModule(functions: FunctionDef[], sharedMemory: boolean): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  // shared memories must declare a maximum: the whole 32-bit space, which any heap fits
  const limits = sharedMemory ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...limits]];
  const funcs = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
