/**
 * The messages of TensorBoard's `tensorboard` proto package that event files carry, as plain
 * objects (camelCase field names, numbers for int64). Only what writers and readers of scalars,
 * images, histograms, text and hparams need; unknown fields are skipped when reading.
 */

export const DataType = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_STRING: 7,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_HALF: 19,
} as const;

export const SessionStatus = { STATUS_UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } as const;

export const DataClass = { UNKNOWN: 0, SCALAR: 1, TENSOR: 2, BLOB_SEQUENCE: 3 } as const;

export interface Event {
  /** Unix time in seconds. */
  wallTime: number;
  step: number;
  /** `brain.Event:2` in the first record of a file. */
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: Summary;
  logMessage?: { level: number; message: string };
  sessionLog?: SessionLog;
  sourceMetadata?: { writer: string };
}

export interface SessionLog {
  status: number;
  checkpointPath?: string;
  msg?: string;
}

export interface Summary {
  value: SummaryValue[];
}

export interface SummaryValue {
  tag: string;
  nodeName?: string;
  metadata?: SummaryMetadata;
  simpleValue?: number;
  image?: SummaryImage;
  histo?: HistogramProto;
  audio?: SummaryAudio;
  tensor?: TensorProto;
}

export interface SummaryMetadata {
  pluginData?: { pluginName: string; content?: Uint8Array };
  displayName?: string;
  summaryDescription?: string;
  dataClass?: number;
}

export interface SummaryImage {
  height: number;
  width: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  colorspace: number;
  encodedImageString: Uint8Array;
}

export interface SummaryAudio {
  sampleRate: number;
  numChannels: number;
  lengthFrames: number;
  encodedAudioString: Uint8Array;
  contentType: string;
}

export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edges; bucket i covers (bucketLimit[i-1], bucketLimit[i]]. */
  bucketLimit: number[];
  bucket: number[];
}

export interface TensorProto {
  dtype: number;
  /** Dimension sizes; [] is a scalar. */
  shape: number[];
  tensorContent?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: number[];
  stringVal?: Uint8Array[];
  boolVal?: boolean[];
}
