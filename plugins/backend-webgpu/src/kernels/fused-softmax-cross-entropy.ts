import type * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@trainkit/core/backend';

/*
 * Softmax cross-entropy and its gradient as one kernel each, where tfjs's composite loss and its
 * gradient run about 20. Each invocation owns one row: its max, log-sum-exp and the labels'
 * weighted sum (forward) or its row of `(softmax - labels) * dy / rows` (gradient), so the
 * work stays linear in the classes. The forward's mean over rows is a second, one-invocation
 * dispatch (a fixed summation order: the same loss on every run).
 *
 * Every read is wrapped in f32(): tfjs's WebGPU Cast from int32 to float32 keeps the int32
 * buffer, and a shader sees a buffer's stored type (one-hot labels arrive that way).
 */

/** The parts of tfjs's WebGPUBackend these kernels use. */
interface WebGpuKernelBackend {
  runWebGPUProgram(program: unknown, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: Array<{ type: string; data: number[] }>): tf.TensorInfo;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: tf.DataId): void;
}

/** Row `row`'s log-sum-exp, in WGSL (`k` classes from `rowStart`). */
const LOG_SUM_EXP = `
  var rowMax = -uniforms.INFINITY;
  for (var j = 0; j < k; j++) { rowMax = max(rowMax, f32(logits[rowStart + j])); }
  var expSum = 0.0;
  for (var j = 0; j < k; j++) { expSum += exp(f32(logits[rowStart + j]) - rowMax); }
  let lse = rowMax + log(expSum);`;

class RowProgram {
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];

  constructor(
    readonly shaderKey: string,
    readonly variableNames: string[],
    readonly outputShape: number[],
    rows: number,
    private readonly body: string,
  ) {
    this.dispatch = [Math.max(1, Math.ceil(rows / this.workgroupSize[0])), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        let rows = uniforms.logitsShape.x;
        let k = uniforms.logitsShape.y;
        if (index < rows) {
          let rowStart = index * k;
          ${LOG_SUM_EXP}
          ${this.body}
        }
      }
    `;
  }
}

class MeanProgram {
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [1, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number] = [1, 1, 1];
  readonly variableNames = ['rowLoss'];
  readonly outputShape = [1];
  readonly shaderKey = 'trainkit_softmax_ce_mean';

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index == 0) {
          let n = uniforms.rowLossShape;
          var total = 0.0;
          for (var i = 0; i < n; i++) { total += f32(rowLoss[i]); }
          setOutputAtIndex(0, total / f32(n));
        }
      }
    `;
  }
}

function rowsOf(kernel: string, logits: tf.TensorInfo, labels: tf.TensorInfo): [rows: number, classes: number] {
  if (logits.shape.length !== 2 || labels.shape.length !== 2 || logits.shape[0] !== labels.shape[0] || logits.shape[1] !== labels.shape[1]) {
    throw new Error(`@trainkit/backend-webgpu: ${kernel} needs 2-D logits and labels of one shape, got [${logits.shape}] and [${labels.shape}]`);
  }
  if (logits.dtype !== 'float32' || labels.dtype !== 'float32') throw new Error(`@trainkit/backend-webgpu: ${kernel} needs float32 logits and labels`);
  return [logits.shape[0], logits.shape[1]];
}

function softmaxCrossEntropy({ inputs, backend }: { inputs: Record<string, tf.TensorInfo>; backend: unknown }): tf.TensorInfo {
  const { logits, labels } = inputs;
  const [rows] = rowsOf(FUSED_KERNELS.softmaxCrossEntropy, logits, labels);
  const gpu = backend as WebGpuKernelBackend;
  if (rows === 0) return gpu.makeTensorInfo([], 'float32', new Float32Array([Number.NaN]));
  const rowProgram = new RowProgram(
    'trainkit_softmax_ce_rows',
    ['logits', 'labels'],
    [rows],
    rows,
    `var total = 0.0;
     for (var j = 0; j < k; j++) { total += f32(labels[rowStart + j]) * (lse - f32(logits[rowStart + j])); }
     setOutputAtIndex(index, total);`,
  );
  const rowLoss = gpu.runWebGPUProgram(rowProgram, [logits, labels], 'float32');
  try {
    return { ...gpu.runWebGPUProgram(new MeanProgram(), [rowLoss], 'float32'), shape: [] };
  } finally {
    gpu.disposeData(rowLoss.dataId);
  }
}

function softmaxCrossEntropyGrad({ inputs, backend }: { inputs: Record<string, tf.TensorInfo>; backend: unknown }): tf.TensorInfo {
  const { logits, labels, dy } = inputs;
  const [rows, classes] = rowsOf(FUSED_KERNELS.softmaxCrossEntropyGrad, logits, labels);
  if (dy.shape.length !== 0 || dy.dtype !== 'float32') {
    throw new Error(`@trainkit/backend-webgpu: ${FUSED_KERNELS.softmaxCrossEntropyGrad} needs a float32 scalar dy`);
  }
  const program = new RowProgram(
    'trainkit_softmax_ce_grad',
    ['logits', 'labels', 'dy'],
    [rows, classes],
    rows,
    `let scale = f32(dy[0]) / f32(rows);
     for (var j = 0; j < k; j++) { setOutputAtIndex(rowStart + j, (exp(f32(logits[rowStart + j]) - lse) - f32(labels[rowStart + j])) * scale); }`,
  );
  return (backend as WebGpuKernelBackend).runWebGPUProgram(program, [logits, labels, { ...dy, shape: [1] }], 'float32');
}

/** The fused softmax cross-entropy kernels (names in core's FUSED_KERNELS) for the webgpu backend. */
export const FUSED_LOSS_KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: FUSED_KERNELS.softmaxCrossEntropy, backendName: 'webgpu', kernelFunc: softmaxCrossEntropy as unknown as tf.KernelFunc },
  { kernelName: FUSED_KERNELS.softmaxCrossEntropyGrad, backendName: 'webgpu', kernelFunc: softmaxCrossEntropyGrad as unknown as tf.KernelFunc },
];
