import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type AdagradUpdateAttrs, type AdamUpdateAttrs, FUSED_KERNELS, type RMSpropUpdateAttrs, type SGDUpdateAttrs } from '@trainkit/core';
import type { Info, KernelArgs } from './wasm-scope.js';

/*
 * One kernel per parameter for PyTorch's update rules: a single JS pass over Float32Array views
 * of the wasm heap reads the parameter, its gradient and its state once and writes the new
 * values into fresh outputs, which the optimizer assigns to its variables. The composite path
 * runs 4 to 14 wasm kernels per parameter, each a round trip through the engine. Arithmetic is
 * in float64 and stored as float32, so results match the composite float32 ops within an ulp or
 * two (the optimizer reference tests pass with the same tolerance).
 */

/** Fresh float32 outputs shaped like `like`, and views of inputs and outputs taken after the last allocation. */
function outputsLike(backend: BackendWasm, like: Info, count: number): Info[] {
  const out: Info[] = [];
  for (let i = 0; i < count; i++) out.push(backend.makeOutput(like.shape, 'float32'));
  return out;
}

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

export function sgdUpdate({ inputs, backend, attrs }: KernelArgs<SGDUpdateAttrs>): Info[] {
  const { param, grad, momentumBuffer } = inputs as Record<string, Info | undefined> as { param: Info; grad: Info; momentumBuffer?: Info };
  checkFloat(FUSED_KERNELS.sgd, { param, grad, momentumBuffer }, param);
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = attrs;
  const useMomentum = momentum !== 0;
  const out = outputsLike(backend, param, useMomentum ? 2 : 1);
  const p = view(backend, param);
  const g = view(backend, grad);
  const newP = view(backend, out[0]);
  const sign = maximize ? -1 : 1;
  if (!useMomentum) {
    for (let i = 0; i < p.length; i++) {
      const pi = p[i];
      newP[i] = pi - lr * (sign * g[i] + weightDecay * pi);
    }
    return out;
  }
  const newBuf = view(backend, out[1]);
  const buf = momentumBuffer ? view(backend, momentumBuffer) : undefined;
  const keep = 1 - dampening;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const d = Math.fround(sign * g[i] + weightDecay * pi);
    // PyTorch's first step: the buffer is the gradient itself, undamped
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
  const [p, g, m, v] = [param, grad, expAvg, expAvgSq].map((x) => view(backend, x));
  const [newP, newM, newV] = out.map((x) => view(backend, x));
  const vMax = amsgrad ? view(backend, maxExpAvgSq as Info) : undefined;
  const newVMax = amsgrad ? view(backend, out[3]) : undefined;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const sign = maximize ? -1 : 1;
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  for (let i = 0; i < p.length; i++) {
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
  const p = view(backend, param);
  const g = view(backend, grad);
  const sq = view(backend, squareAvg);
  const newP = view(backend, out[0]);
  const newSq = view(backend, out[1]);
  let k = 2;
  const ga = centered ? view(backend, gradAvg as Info) : undefined;
  const newGa = centered ? view(backend, out[k++]) : undefined;
  const buf = useMomentum ? view(backend, momentumBuffer as Info) : undefined;
  const newBuf = useMomentum ? view(backend, out[k++]) : undefined;
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const gi = Math.fround(sign * g[i] + weightDecay * pi);
    const si = Math.fround(alpha * sq[i] + (1 - alpha) * gi * gi);
    newSq[i] = si;
    let avg: number;
    if (ga && newGa) {
      const gai = Math.fround(alpha * ga[i] + (1 - alpha) * gi);
      newGa[i] = gai;
      avg = Math.sqrt(si - gai * gai) + eps;
    } else {
      avg = Math.sqrt(si) + eps;
    }
    if (buf && newBuf) {
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
  const [p, g, s, newP, newS] = [param, grad, sum, out[0], out[1]].map((x) => view(backend, x));
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < p.length; i++) {
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
