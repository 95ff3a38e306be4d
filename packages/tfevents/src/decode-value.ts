import { type HistogramBucket, histogramProtoBuckets } from './histogram.js';
import { type HParamsPluginData, decodeHParamsPluginData } from './proto/hparams.js';
import { DataType, type SummaryMetadata, type SummaryValue, type TensorProto } from './proto/types.js';

/** What a `Summary.Value` means, whichever of the forms TensorBoard accepts it was written in. */
export type SummaryData =
  | { kind: 'scalar'; value: number }
  | { kind: 'image'; width: number; height: number /** PNG (or JPEG) bytes, one per image. */; images: Uint8Array[] }
  | { kind: 'histogram'; buckets: HistogramBucket[] }
  | { kind: 'text'; shape: number[]; text: string[] }
  | { kind: 'hparams'; data: HParamsPluginData }
  | { kind: 'tensor'; pluginName: string; tensor: TensorProto }
  | { kind: 'unknown' };

const utf8 = new TextDecoder();

/**
 * Interprets one value. `tagMetadata` is the metadata of the tag's first value, which readers
 * apply to every later value of the tag (writers may leave it off after the first).
 */
export function interpretValue(value: SummaryValue, tagMetadata?: SummaryMetadata): SummaryData {
  if (value.simpleValue !== undefined) return { kind: 'scalar', value: value.simpleValue };
  if (value.image) {
    const { width, height, encodedImageString } = value.image;
    return { kind: 'image', width, height, images: [encodedImageString] };
  }
  if (value.histo) return { kind: 'histogram', buckets: histogramProtoBuckets(value.histo) };
  const md = tagMetadata ?? value.metadata;
  const plugin = md?.pluginData?.pluginName ?? '';
  if (plugin === 'hparams') return { kind: 'hparams', data: decodeHParamsPluginData(md?.pluginData?.content ?? new Uint8Array(0)) };
  const t = value.tensor;
  if (!t) return { kind: 'unknown' };
  switch (plugin) {
    case 'scalars':
      return { kind: 'scalar', value: tensorNumbers(t)[0] ?? Number.NaN };
    case 'histograms': {
      const flat = tensorNumbers(t);
      const buckets: HistogramBucket[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) buckets.push([flat[i], flat[i + 1], flat[i + 2]]);
      return { kind: 'histogram', buckets };
    }
    case 'text':
      return { kind: 'text', shape: t.shape, text: (t.stringVal ?? []).map((s) => utf8.decode(s)) };
    case 'images': {
      const s = t.stringVal ?? [];
      return {
        kind: 'image',
        width: Number(utf8.decode(s[0] ?? new Uint8Array(0))),
        height: Number(utf8.decode(s[1] ?? new Uint8Array(0))),
        images: s.slice(2),
      };
    }
    default:
      return { kind: 'tensor', pluginName: plugin, tensor: t };
  }
}

/** The numbers of a numeric tensor, from `tensor_content` or the typed list it uses. */
export function tensorNumbers(t: TensorProto): number[] {
  const c = t.tensorContent;
  if (c?.length) {
    const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
    const out: number[] = [];
    const read: Record<number, [number, (o: number) => number]> = {
      [DataType.DT_FLOAT]: [4, (o) => view.getFloat32(o, true)],
      [DataType.DT_DOUBLE]: [8, (o) => view.getFloat64(o, true)],
      [DataType.DT_INT32]: [4, (o) => view.getInt32(o, true)],
      [DataType.DT_INT64]: [8, (o) => Number(view.getBigInt64(o, true))],
      [DataType.DT_BOOL]: [1, (o) => view.getUint8(o)],
    };
    const r = read[t.dtype];
    if (!r) return [];
    for (let o = 0; o + r[0] <= c.length; o += r[0]) out.push(r[1](o));
    return out;
  }
  return t.floatVal ?? t.doubleVal ?? t.intVal ?? t.int64Val ?? t.boolVal?.map(Number) ?? [];
}
