/** The typed arrays a sample's numeric data may live in. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint8ClampedArray | Int8Array | Int16Array | Uint16Array | Uint32Array;

/** An n-dimensional array on the CPU side of the pipeline (row-major), before it becomes a tensor. */
export interface NdArray {
  data: TypedArray;
  shape: number[];
}

/** Annotations and predictions of one sample (MMEngine's data sample, as a plain object). */
export interface DataSample {
  gt_label?: number | number[];
  pred_label?: number | number[];
  pred_score?: Float32Array | number[];
  metainfo?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One item of a dataset after its pipeline (MMEngine's packed inputs). */
export interface DataItem {
  inputs: NdArray | unknown;
  data_samples?: DataSample;
  [key: string]: unknown;
}

/** What the dataloader yields: collated inputs and the list of data samples. */
export interface DataBatch {
  inputs: NdArray | unknown;
  data_samples?: DataSample[];
  [key: string]: unknown;
}

export function isNdArray(v: unknown): v is NdArray {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView((v as NdArray).data) && Array.isArray((v as NdArray).shape);
}
