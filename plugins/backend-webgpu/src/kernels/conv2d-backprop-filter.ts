import * as tf from '@tensorflow/tfjs';

/**
 * Conv2DBackpropFilter with the batch split across invocations. TensorFlow.js's kernel gives one
 * invocation per filter element, each summing over batch x output rows x output columns: for a
 * first layer with a 3x3x1x32 filter that is 288 invocations looping 200,000 times at batch 256,
 * a few SMs' worth of work on a GPU with a hundred. Here each invocation sums over a chunk of the
 * batch into its own partial filter, and a Sum over the chunks finishes the job, so the same
 * work runs on about a million invocations.
 */

/** About how many invocations to aim for: enough to fill a large GPU several times over. */
const TARGET_INVOCATIONS = 1 << 20;

/** The parts of tfjs's WebGPUBackend a kernel uses. */
interface WebGpuKernelBackend {
  runWebGPUProgram(program: unknown, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms: Array<{ type: string; data: number[] }>): tf.TensorInfo;
  disposeData(dataId: tf.DataId): void;
}

class SplitBatchConv2DDerFilterProgram {
  readonly variableNames = ['x', 'dy'];
  readonly uniforms = 'pads : vec2<i32>, strides : vec2<i32>, batchSize : i32, outHeight : i32, outWidth : i32, inHeight : i32, inWidth : i32, chunk : i32,';
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly shaderKey = 'trainkitConv2DDerFilterSplitBatch';
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(groups: number, filterShape: [number, number, number, number]) {
    this.outputShape = [groups, ...filterShape];
    // one flat dimension; tfjs reshapes the dispatch to the device's limits when it runs
    this.dispatchLayout = { x: this.outputShape.map((_, i) => i) };
    this.dispatch = [Math.ceil(tf.util.sizeFromShape(this.outputShape) / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let wR = coords.y;
          let wC = coords.z;
          let d1 = coords.w;
          let d2 = coords.u;
          let bBegin = coords.x * uniforms.chunk;
          let bEnd = min(bBegin + uniforms.chunk, uniforms.batchSize);
          var dotProd = 0.0;
          for (var b = bBegin; b < bEnd; b++) {
            for (var yR = 0; yR < uniforms.outHeight; yR++) {
              let xR = wR + yR * uniforms.strides[0] - uniforms.pads[0];
              if (xR < 0 || xR >= uniforms.inHeight) {
                continue;
              }
              for (var yC = 0; yC < uniforms.outWidth; yC++) {
                let xC = wC + yC * uniforms.strides[1] - uniforms.pads[1];
                if (xC < 0 || xC >= uniforms.inWidth) {
                  continue;
                }
                dotProd += getX(b, xR, xC, d1) * getDy(b, yR, yC, d2);
              }
            }
          }
          setOutputAtIndex(index, dotProd);
        }
      }
    `;
  }
}

/** The kernel; `original` (tfjs's) serves NCHW and batches too small to split. */
export function splitBatchConv2DBackpropFilter(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const backend = args.backend as unknown as WebGpuKernelBackend;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const filterSize = tf.util.sizeFromShape(info.filterShape);
    const wanted = Math.min(info.batchSize, Math.floor(TARGET_INVOCATIONS / filterSize));
    if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || wanted < 2) return original(args);
    const chunk = Math.ceil(info.batchSize / wanted);
    const groups = Math.ceil(info.batchSize / chunk);
    const program = new SplitBatchConv2DDerFilterProgram(groups, info.filterShape as [number, number, number, number]);
    const int = (...data: number[]) => ({ type: 'int32', data });
    const partials = backend.runWebGPUProgram(program, [x, dy], 'float32', [
      int(info.padInfo.top, info.padInfo.left),
      int(info.strideHeight, info.strideWidth),
      int(info.batchSize),
      int(info.outHeight),
      int(info.outWidth),
      int(info.inHeight),
      int(info.inWidth),
      int(chunk),
    ]);
    try {
      const sum = tf.getKernel('Sum', 'webgpu')!.kernelFunc;
      return sum({ inputs: { x: partials }, backend: args.backend, attrs: { axis: [0], keepDims: false } }) as tf.TensorInfo;
    } finally {
      backend.disposeData(partials.dataId);
    }
  };
}
