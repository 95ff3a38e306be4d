import { DEFAULT_BUCKET_COUNT, equalWidthBuckets, exponentialHistogram } from './histogram.js';
import { type ImagePixels, encodePng } from '@trainkit/codecs';
import { type Experiment, type SessionEndInfo, type SessionStartInfo, encodeHParamsPluginData } from './proto/hparams.js';
import { DataType, type SummaryValue, type TensorProto } from './proto/types.js';

/**
 * Builders for `Summary.Value`s of each kind, in the forms TensorBoard's two loaders (Rust and
 * Python) both read. Tensor-based values carry their plugin metadata every time: readers keep
 * the first metadata of a tag, and a tag whose first value lacks it stays hidden.
 */

export const PLUGIN = { scalars: 'scalars', images: 'images', histograms: 'histograms', text: 'text', hparams: 'hparams' } as const;

/** Tags the HParams plugin looks for. */
export const HPARAMS_TAG = {
  experiment: '_hparams_/experiment',
  sessionStart: '_hparams_/session_start_info',
  sessionEnd: '_hparams_/session_end_info',
} as const;

const utf8 = new TextEncoder();

/** A scalar: `simple_value` (compact, TF1 / PyTorch default) or a rank-0 DT_FLOAT tensor (TF2). */
export function scalarValue(tag: string, value: number, form: 'simple_value' | 'tensor' = 'simple_value'): SummaryValue {
  if (form === 'simple_value') return { tag, simpleValue: value };
  return {
    tag,
    tensor: { dtype: DataType.DT_FLOAT, shape: [], floatVal: [value] },
    metadata: { pluginData: { pluginName: PLUGIN.scalars } },
  };
}

/** An image as PNG in the `Summary.Image` form, which both loaders read without metadata. */
export function imageValue(tag: string, image: ImagePixels): SummaryValue {
  return {
    tag,
    image: { height: image.height, width: image.width, colorspace: image.channels, encodedImageString: encodePng(image) },
  };
}

export interface HistogramOptions {
  /**
   * A number: TensorBoard's own scheme, that many equal-width buckets over [min, max] (default
   * 30), stored as a `[k, 3]` DT_DOUBLE tensor. `'exponential'`: TensorFlow's fixed +-1e-12 * 1.1^n
   * limits in a `HistogramProto`, as TF1 and PyTorch write them.
   */
  buckets?: number | 'exponential';
}

export function histogramValue(tag: string, values: ArrayLike<number>, opts: HistogramOptions = {}): SummaryValue {
  if (opts.buckets === 'exponential') return { tag, histo: exponentialHistogram(values) };
  const rows = equalWidthBuckets(values, opts.buckets ?? DEFAULT_BUCKET_COUNT);
  const content = new Float64Array(rows.length * 3);
  for (const [i, r] of rows.entries()) content.set(r, i * 3);
  return {
    tag,
    tensor: { dtype: DataType.DT_DOUBLE, shape: [rows.length, 3], tensorContent: littleEndianBytes(content) },
    metadata: { pluginData: { pluginName: PLUGIN.histograms } },
  };
}

/** Markdown text; an array is shown as a list, a 2-D array as a table. */
export function textValue(tag: string, text: string | string[] | string[][]): SummaryValue {
  let shape: number[];
  let cells: string[];
  if (typeof text === 'string') {
    shape = [];
    cells = [text];
  } else if (text.every((row) => Array.isArray(row))) {
    const rows = text as string[][];
    const cols = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== cols)) throw new RangeError(`text table "${tag}": every row needs ${cols} cells`);
    shape = [rows.length, cols];
    cells = rows.flat();
  } else {
    shape = [text.length];
    cells = text as string[];
  }
  // strings go in string_val: TensorBoard's Python decoder cannot read them from tensor_content
  const tensor: TensorProto = { dtype: DataType.DT_STRING, shape, stringVal: cells.map((c) => utf8.encode(String(c))) };
  return { tag, tensor, metadata: { pluginData: { pluginName: PLUGIN.text } } };
}

/** The HParams plugin's values hold no data: a zero-element tensor, payload in the metadata. */
function hparamsValue(tag: string, content: Uint8Array): SummaryValue {
  return {
    tag,
    tensor: { dtype: DataType.DT_FLOAT, shape: [0] },
    metadata: { pluginData: { pluginName: PLUGIN.hparams, content } },
  };
}

export function sessionStartValue(info: SessionStartInfo): SummaryValue {
  return hparamsValue(HPARAMS_TAG.sessionStart, encodeHParamsPluginData({ version: 0, sessionStartInfo: info }));
}

export function sessionEndValue(info: SessionEndInfo): SummaryValue {
  return hparamsValue(HPARAMS_TAG.sessionEnd, encodeHParamsPluginData({ version: 0, sessionEndInfo: info }));
}

export function experimentValue(experiment: Experiment): SummaryValue {
  return hparamsValue(HPARAMS_TAG.experiment, encodeHParamsPluginData({ version: 0, experiment }));
}

function littleEndianBytes(a: Float64Array): Uint8Array {
  const out = new Uint8Array(a.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat64(i * 8, a[i], true);
  return out;
}
