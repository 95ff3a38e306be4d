import * as tf from '@tensorflow/tfjs';
import { type AdagradUpdateAttrs, type AdamUpdateAttrs, FUSED_KERNELS, type RMSpropUpdateAttrs, type SGDUpdateAttrs } from '@trainkit/core/backend';

/*
 * PyTorch's update rules as one compute shader per rule: each invocation reads one element of the
 * parameter, its gradient and its state, and computes the whole update in registers. A tfjs
 * WebGPU program has a single output buffer, so the shader is dispatched once per output (the
 * new parameter, then each new state tensor), where the composite path runs 5 to 15 kernels, each
 * a dispatch and a pass over memory. Float32 throughout, as the composite ops (reads go through
 * f32(): tfjs's Cast from int32 keeps an int32 buffer, and a shader sees the stored type).
 */

/** The parts of tfjs's WebGPUBackend these kernels use. */
interface WebGpuKernelBackend {
  runWebGPUProgram(program: unknown, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms: Array<{ type: string; data: number[] }>): tf.TensorInfo;
}

/** A rule in WGSL: statements computing the outputs' expressions from the inputs (read as `x[index]`). */
interface UpdateRule {
  /** The kernel (FUSED_KERNELS), for messages. */
  kernel: string;
  /** Identifies the generated code (with the output index): tfjs caches pipelines by it. */
  key: string;
  /** Input buffer names (the kernel's input names), in the order the kernel passes the tensors. */
  inputs: string[];
  /** f32 hyper-parameters, in the order the kernel passes their values. */
  uniforms: string[];
  body: string;
  /** One WGSL expression per output, in FUSED_KERNELS' output order. */
  outputs: string[];
}

class FusedUpdateProgram {
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly variableNames: string[];
  readonly uniforms: string;
  shaderKey: string;

  constructor(
    private readonly rule: UpdateRule,
    private readonly output: number,
    size: number,
  ) {
    this.outputShape = [size];
    this.variableNames = rule.inputs;
    this.uniforms = rule.uniforms.map((u) => `${u} : f32,`).join(' ');
    this.shaderKey = `trainkit_${rule.key}_out${output}`;
    this.dispatch = [Math.ceil(size / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.rule.uniforms.map((u) => `let ${u} = uniforms.${u};`).join(' ')}
          ${this.rule.body}
          setOutputAtIndex(index, ${this.rule.outputs[this.output]});
        }
      }
    `;
  }
}

interface KernelArgs<A> {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: unknown;
  attrs: A;
}

/** Runs `rule` once per output on flat views of `inputs`; returns the outputs in the parameter's shape. */
function runRule(backend: unknown, rule: UpdateRule, inputs: tf.TensorInfo[], uniforms: number[]): tf.TensorInfo[] {
  const param = inputs[0];
  const size = tf.util.sizeFromShape(param.shape);
  for (const [i, x] of inputs.entries()) {
    if (x.dtype !== 'float32') throw new Error(`@trainkit/backend-webgpu: ${rule.kernel} needs float32 tensors, "${rule.inputs[i]}" is ${x.dtype}`);
    if (tf.util.sizeFromShape(x.shape) !== size || x.shape.length !== param.shape.length) {
      throw new Error(`@trainkit/backend-webgpu: ${rule.kernel}: "${rule.inputs[i]}" has shape [${x.shape}], the parameter [${param.shape}]`);
    }
  }
  const flat = inputs.map((x) => ({ ...x, shape: [size] }));
  const values = uniforms.map((v) => ({ type: 'float32', data: [v] }));
  const gpu = backend as WebGpuKernelBackend;
  return rule.outputs.map((_, o) => ({ ...gpu.runWebGPUProgram(new FusedUpdateProgram(rule, o, size), flat, 'float32', values), shape: param.shape }));
}

/** `d`: the gradient with `maximize` and L2 weight decay applied, as every rule starts. */
const DECAYED_GRAD = 'let p = f32(param[index]); let d = gradSign * f32(grad[index]) + weightDecay * p;';

function sgdUpdate({ inputs, backend, attrs }: KernelArgs<SGDUpdateAttrs>): tf.TensorInfo[] {
  const { param, grad, momentumBuffer } = inputs as { param: tf.TensorInfo; grad: tf.TensorInfo; momentumBuffer?: tf.TensorInfo };
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = attrs;
  const sign = maximize ? -1 : 1;
  if (momentum === 0) {
    const rule = {
      kernel: FUSED_KERNELS.sgd,
      key: 'sgd',
      inputs: ['param', 'grad'],
      uniforms: ['gradSign', 'weightDecay', 'lr'],
      body: DECAYED_GRAD,
      outputs: ['p - lr * d'],
    };
    return runRule(backend, rule, [param, grad], [sign, weightDecay, lr]);
  }
  // PyTorch's first step: the buffer is the decayed gradient itself, undamped
  const rule: UpdateRule = {
    kernel: FUSED_KERNELS.sgd,
    key: `sgd_momentum_${momentumBuffer ? 'buf' : 'first'}_${nesterov ? 'nesterov' : 'plain'}`,
    inputs: momentumBuffer ? ['param', 'grad', 'momentumBuffer'] : ['param', 'grad'],
    uniforms: ['gradSign', 'weightDecay', 'lr', 'momentum', 'keep'],
    body: `${DECAYED_GRAD} let b = ${momentumBuffer ? 'momentum * f32(momentumBuffer[index]) + keep * d' : 'd'};`,
    outputs: [nesterov ? 'p - lr * (d + momentum * b)' : 'p - lr * b', 'b'],
  };
  return runRule(backend, rule, momentumBuffer ? [param, grad, momentumBuffer] : [param, grad], [sign, weightDecay, lr, momentum, 1 - dampening]);
}

function adamUpdate({ inputs, backend, attrs }: KernelArgs<AdamUpdateAttrs>): tf.TensorInfo[] {
  const { param, grad, expAvg, expAvgSq, maxExpAvgSq } = inputs as Record<string, tf.TensorInfo>;
  const { lr, beta1, beta2, eps, weightDecay, step, decoupled, amsgrad, maximize } = attrs;
  if (amsgrad && !maxExpAvgSq) throw new Error(`@trainkit/backend-webgpu: ${FUSED_KERNELS.adam} with amsgrad needs a maxExpAvgSq input`);
  const rule: UpdateRule = {
    kernel: FUSED_KERNELS.adam,
    key: `adam_${amsgrad ? 'amsgrad' : 'plain'}`,
    inputs: amsgrad ? ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['param', 'grad', 'expAvg', 'expAvgSq'],
    uniforms: ['gradSign', 'weightDecay', 'beta1', 'beta2', 'shrink', 'stepSize', 'bias2Sqrt', 'eps'],
    body: `${DECAYED_GRAD}
      let m = beta1 * f32(expAvg[index]) + (1.0 - beta1) * d;
      let v = beta2 * f32(expAvgSq[index]) + (1.0 - beta2) * d * d;
      let vUsed = ${amsgrad ? 'max(f32(maxExpAvgSq[index]), v)' : 'v'};`,
    outputs: ['p * shrink - stepSize * m / (sqrt(vUsed) / bias2Sqrt + eps)', 'm', 'v', ...(amsgrad ? ['vUsed'] : [])],
  };
  const values = [
    maximize ? -1 : 1,
    decoupled ? 0 : weightDecay,
    beta1,
    beta2,
    decoupled ? 1 - lr * weightDecay : 1,
    lr / (1 - beta1 ** step),
    Math.sqrt(1 - beta2 ** step),
    eps,
  ];
  return runRule(backend, rule, amsgrad ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq], values);
}

function rmspropUpdate({ inputs, backend, attrs }: KernelArgs<RMSpropUpdateAttrs>): tf.TensorInfo[] {
  const { param, grad, squareAvg, gradAvg, momentumBuffer } = inputs as Record<string, tf.TensorInfo | undefined> as {
    param: tf.TensorInfo;
    grad: tf.TensorInfo;
    squareAvg: tf.TensorInfo;
    gradAvg?: tf.TensorInfo;
    momentumBuffer?: tf.TensorInfo;
  };
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = attrs;
  const useMomentum = momentum > 0;
  if (centered && !gradAvg) throw new Error(`@trainkit/backend-webgpu: ${FUSED_KERNELS.rmsprop} with centered needs a gradAvg input`);
  if (useMomentum && !momentumBuffer) throw new Error(`@trainkit/backend-webgpu: ${FUSED_KERNELS.rmsprop} with momentum needs a momentumBuffer input`);
  const rule: UpdateRule = {
    kernel: FUSED_KERNELS.rmsprop,
    key: `rmsprop_${centered ? 'centered' : 'plain'}_${useMomentum ? 'momentum' : 'none'}`,
    inputs: ['param', 'grad', 'squareAvg', ...(centered ? ['gradAvg'] : []), ...(useMomentum ? ['momentumBuffer'] : [])],
    uniforms: ['gradSign', 'weightDecay', 'alpha', 'eps', 'momentum', 'lr'],
    body: `${DECAYED_GRAD}
      let s = alpha * f32(squareAvg[index]) + (1.0 - alpha) * d * d;
      ${centered ? 'let a = alpha * f32(gradAvg[index]) + (1.0 - alpha) * d; let avg = sqrt(s - a * a) + eps;' : 'let avg = sqrt(s) + eps;'}
      ${useMomentum ? 'let b = momentum * f32(momentumBuffer[index]) + d / avg;' : ''}`,
    outputs: [useMomentum ? 'p - lr * b' : 'p - lr * d / avg', 's', ...(centered ? ['a'] : []), ...(useMomentum ? ['b'] : [])],
  };
  const tensors = [param, grad, squareAvg, ...(centered ? [gradAvg!] : []), ...(useMomentum ? [momentumBuffer!] : [])];
  return runRule(backend, rule, tensors, [maximize ? -1 : 1, weightDecay, alpha, eps, momentum, lr]);
}

function adagradUpdate({ inputs, backend, attrs }: KernelArgs<AdagradUpdateAttrs>): tf.TensorInfo[] {
  const { param, grad, sum } = inputs as Record<string, tf.TensorInfo>;
  const { lr, eps, weightDecay, maximize } = attrs;
  const rule: UpdateRule = {
    kernel: FUSED_KERNELS.adagrad,
    key: 'adagrad',
    inputs: ['param', 'grad', 'sum'],
    uniforms: ['gradSign', 'weightDecay', 'eps', 'lr'],
    body: `${DECAYED_GRAD} let s = f32(sum[index]) + d * d;`,
    outputs: ['p - lr * d / (sqrt(s) + eps)', 's'],
  };
  return runRule(backend, rule, [param, grad, sum], [maximize ? -1 : 1, weightDecay, eps, lr]);
}

const config = (kernelName: string, fn: (args: never) => tf.TensorInfo[]): tf.KernelConfig => ({
  kernelName,
  backendName: 'webgpu',
  kernelFunc: fn as unknown as tf.KernelFunc,
});

/** trainkit's fused optimizer kernels (names in core's FUSED_KERNELS) for the webgpu backend. */
export const FUSED_OPTIMIZER_KERNELS: readonly tf.KernelConfig[] = [
  config(FUSED_KERNELS.sgd, sgdUpdate),
  config(FUSED_KERNELS.adam, adamUpdate),
  config(FUSED_KERNELS.rmsprop, rmspropUpdate),
  config(FUSED_KERNELS.adagrad, adagradUpdate),
];
