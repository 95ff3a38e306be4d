import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type AdagradUpdateAttrs, type AdamUpdateAttrs, FUSED_KERNELS, type RMSpropUpdateAttrs, type SGDUpdateAttrs } from '@trainkit/core/backend';
import { heapOffset, optimizerLoops } from './simd/optimizer-loops.js';
import type { Info, KernelArgs } from './wasm-scope.js';

/*
 * One kernel per parameter for PyTorch's update rules: one pass over the wasm heap reads the
 * parameter, its gradient and its state once and writes the new values into fresh outputs, which
 * the optimizer assigns to its variables. The composite path runs 4 to 14 wasm kernels per
 * parameter, each a round trip through the engine and a pass over memory.
 *
 * The pass is a wasm SIMD loop (simd/optimizer-loops.ts) in float32, four elements at a time; the
 * last 0 to 3 elements, and every element where the runtime lacks wasm SIMD, go through the JS
 * loops below (float64 arithmetic stored as float32: within an ulp or two of the composite ops).
 */

function outputsLike(backend: BackendWasm, like: Info, count: number): Info[] {
  const out: Info[] = [];
  for (let i = 0; i < count; i++) out.push(backend.makeOutput(like.shape, 'float32'));
  return out;
}

/** Views on the heap: take them only after the kernel's last allocation (a growing heap detaches views). */
function view(backend: BackendWasm, x: Info): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

function checkFloat(kernel: string, inputs: Record<string, Info | undefined>, param: Info): void {
  for (const [name, x] of Object.entries(inputs)) {
    if (!x) continue;
    if (x.dtype !== 'float32') throw new Error(`@trainkit/backend-wasm: ${kernel} needs float32 tensors, "${name}" is ${x.dtype}`);
    if (x.shape.length !== param.shape.length || x.shape.some((d, i) => d !== param.shape[i])) {
      throw new Error(`@trainkit/backend-wasm: ${kernel}: "${name}" has shape [${x.shape}], the parameter [${param.shape}]`);
    }
  }
}

/** Runs the SIMD loop over whole vectors of four, if the runtime has it; returns where the JS loop takes over. */
function simdPart(backend: BackendWasm, param: Info, run: (at: (x: Info | undefined) => number, bytes: number) => void): number {
  const size = backend.typedArrayFromHeap(param).length;
  const vectors = size >> 2;
  if (vectors === 0) return 0;
  run((x) => (x ? heapOffset(backend, x.dataId) : 0), vectors * 16);
  return vectors * 4;
}

export function sgdUpdate({ inputs, backend, attrs }: KernelArgs<SGDUpdateAttrs>): Info[] {
  const { param, grad, momentumBuffer } = inputs as Record<string, Info | undefined> as { param: Info; grad: Info; momentumBuffer?: Info };
  checkFloat(FUSED_KERNELS.sgd, { param, grad, momentumBuffer }, param);
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = attrs;
  const useMomentum = momentum !== 0;
  const out = outputsLike(backend, param, useMomentum ? 2 : 1);
  const sign = maximize ? -1 : 1;
  const keep = 1 - dampening;
  const loops = optimizerLoops(backend);
  let from = 0;
  if (loops) {
    from = simdPart(backend, param, (at, bytes) => {
      if (!useMomentum) loops.sgd(at(param), at(grad), at(out[0]), bytes, sign, weightDecay, lr);
      // PyTorch's first step: the buffer is the gradient itself, undamped (0 * g + 1 * d)
      else if (!momentumBuffer)
        loops.sgdMomentum(at(param), at(grad), at(grad), at(out[0]), at(out[1]), bytes, sign, weightDecay, 0, 1, lr, nesterov ? 1 : 0, nesterov ? momentum : 1);
      else
        loops.sgdMomentum(
          at(param),
          at(grad),
          at(momentumBuffer),
          at(out[0]),
          at(out[1]),
          bytes,
          sign,
          weightDecay,
          momentum,
          keep,
          lr,
          nesterov ? 1 : 0,
          nesterov ? momentum : 1,
        );
    });
  }
  const p = view(backend, param);
  const g = view(backend, grad);
  const newP = view(backend, out[0]);
  if (!useMomentum) {
    for (let i = from; i < p.length; i++) {
      const pi = p[i];
      newP[i] = pi - lr * (sign * g[i] + weightDecay * pi);
    }
    return out;
  }
  const newBuf = view(backend, out[1]);
  const buf = momentumBuffer ? view(backend, momentumBuffer) : undefined;
  for (let i = from; i < p.length; i++) {
    const pi = p[i];
    const d = Math.fround(sign * g[i] + weightDecay * pi);
    const b = Math.fround(buf ? momentum * buf[i] + keep * d : d);
    newBuf[i] = b;
    newP[i] = pi - lr * (nesterov ? d + momentum * b : b);
  }
  return out;
}

export function adamUpdate({ inputs, backend, attrs }: KernelArgs<AdamUpdateAttrs>): Info[] {
  const { param, grad, expAvg, expAvgSq, maxExpAvgSq } = inputs as Record<string, Info | undefined> as {
    param: Info;
    grad: Info;
    expAvg: Info;
    expAvgSq: Info;
    maxExpAvgSq?: Info;
  };
  checkFloat(FUSED_KERNELS.adam, { param, grad, expAvg, expAvgSq, maxExpAvgSq }, param);
  const { lr, beta1, beta2, eps, weightDecay, step, decoupled, amsgrad, maximize } = attrs;
  if (amsgrad && !maxExpAvgSq) throw new Error(`@trainkit/backend-wasm: ${FUSED_KERNELS.adam} with amsgrad needs a maxExpAvgSq input`);
  const out = outputsLike(backend, param, amsgrad ? 4 : 3);
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const sign = maximize ? -1 : 1;
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const loops = optimizerLoops(backend);
  let from = 0;
  if (loops) {
    from = simdPart(backend, param, (at, bytes) =>
      loops.adam(
        ...[param, grad, expAvg, expAvgSq, maxExpAvgSq, out[0], out[1], out[2], out[3]].map(at),
        bytes,
        amsgrad ? 1 : 0,
        sign,
        l2,
        beta1,
        1 - beta1,
        beta2,
        1 - beta2,
        shrink,
        stepSize,
        bias2Sqrt,
        eps,
      ),
    );
  }
  const [p, g, m, v] = [param, grad, expAvg, expAvgSq].map((x) => view(backend, x));
  const [newP, newM, newV] = out.map((x) => view(backend, x));
  const vMax = amsgrad ? view(backend, maxExpAvgSq as Info) : undefined;
  const newVMax = amsgrad ? view(backend, out[3]) : undefined;
  for (let i = from; i < p.length; i++) {
    const pi = p[i];
    const gi = Math.fround(sign * g[i] + l2 * pi);
    const mi = Math.fround(beta1 * m[i] + (1 - beta1) * gi);
    let vi = Math.fround(beta2 * v[i] + (1 - beta2) * gi * gi);
    newM[i] = mi;
    newV[i] = vi;
    if (vMax && newVMax) {
      vi = Math.max(vMax[i], vi);
      newVMax[i] = vi;
    }
    newP[i] = pi * shrink - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
  }
  return out;
}

export function rmspropUpdate({ inputs, backend, attrs }: KernelArgs<RMSpropUpdateAttrs>): Info[] {
  const { param, grad, squareAvg, gradAvg, momentumBuffer } = inputs as Record<string, Info | undefined> as {
    param: Info;
    grad: Info;
    squareAvg: Info;
    gradAvg?: Info;
    momentumBuffer?: Info;
  };
  checkFloat(FUSED_KERNELS.rmsprop, { param, grad, squareAvg, gradAvg, momentumBuffer }, param);
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = attrs;
  const useMomentum = momentum > 0;
  if (centered && !gradAvg) throw new Error(`@trainkit/backend-wasm: ${FUSED_KERNELS.rmsprop} with centered needs a gradAvg input`);
  if (useMomentum && !momentumBuffer) throw new Error(`@trainkit/backend-wasm: ${FUSED_KERNELS.rmsprop} with momentum needs a momentumBuffer input`);
  const out = outputsLike(backend, param, 2 + (centered ? 1 : 0) + (useMomentum ? 1 : 0));
  const outGradAvg = centered ? out[2] : undefined;
  const outBuf = useMomentum ? out[centered ? 3 : 2] : undefined;
  const sign = maximize ? -1 : 1;
  const loops = optimizerLoops(backend);
  let from = 0;
  if (loops) {
    from = simdPart(backend, param, (at, bytes) =>
      loops.rmsprop(
        ...[param, grad, squareAvg, gradAvg, momentumBuffer, out[0], out[1], outGradAvg, outBuf].map(at),
        bytes,
        centered ? 1 : 0,
        useMomentum ? 1 : 0,
        sign,
        weightDecay,
        alpha,
        1 - alpha,
        eps,
        momentum,
        lr,
      ),
    );
  }
  const p = view(backend, param);
  const g = view(backend, grad);
  const sq = view(backend, squareAvg);
  const newP = view(backend, out[0]);
  const newSq = view(backend, out[1]);
  const ga = gradAvg && view(backend, gradAvg);
  const newGa = outGradAvg && view(backend, outGradAvg);
  const buf = momentumBuffer && view(backend, momentumBuffer);
  const newBuf = outBuf && view(backend, outBuf);
  for (let i = from; i < p.length; i++) {
    const pi = p[i];
    const gi = Math.fround(sign * g[i] + weightDecay * pi);
    const si = Math.fround(alpha * sq[i] + (1 - alpha) * gi * gi);
    newSq[i] = si;
    let avg: number;
    if (centered && ga && newGa) {
      const gai = Math.fround(alpha * ga[i] + (1 - alpha) * gi);
      newGa[i] = gai;
      avg = Math.sqrt(si - gai * gai) + eps;
    } else {
      avg = Math.sqrt(si) + eps;
    }
    if (useMomentum && buf && newBuf) {
      const b = Math.fround(momentum * buf[i] + gi / avg);
      newBuf[i] = b;
      newP[i] = pi - lr * b;
    } else {
      newP[i] = pi - (lr * gi) / avg;
    }
  }
  return out;
}

export function adagradUpdate({ inputs, backend, attrs }: KernelArgs<AdagradUpdateAttrs>): Info[] {
  const { param, grad, sum } = inputs as Record<string, Info>;
  checkFloat(FUSED_KERNELS.adagrad, { param, grad, sum }, param);
  const { lr, eps, weightDecay, maximize } = attrs;
  const out = outputsLike(backend, param, 2);
  const sign = maximize ? -1 : 1;
  const loops = optimizerLoops(backend);
  let from = 0;
  if (loops) {
    from = simdPart(backend, param, (at, bytes) => loops.adagrad(at(param), at(grad), at(sum), at(out[0]), at(out[1]), bytes, sign, weightDecay, eps, lr));
  }
  const [p, g, s, newP, newS] = [param, grad, sum, out[0], out[1]].map((x) => view(backend, x));
  for (let i = from; i < p.length; i++) {
    const pi = p[i];
    const gi = Math.fround(sign * g[i] + weightDecay * pi);
    const si = Math.fround(s[i] + gi * gi);
    newS[i] = si;
    newP[i] = pi - (lr * gi) / (Math.sqrt(si) + eps);
  }
  return out;
}

const config = (kernelName: string, fn: (args: never) => Info[]): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: fn as unknown as tf.KernelFunc,
});

export const sgdUpdateConfig = config(FUSED_KERNELS.sgd, sgdUpdate);
export const adamUpdateConfig = config(FUSED_KERNELS.adam, adamUpdate);
export const rmspropUpdateConfig = config(FUSED_KERNELS.rmsprop, rmspropUpdate);
export const adagradUpdateConfig = config(FUSED_KERNELS.adagrad, adagradUpdate);
