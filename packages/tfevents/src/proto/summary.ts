import { type ProtoReader, type ProtoWriter, WIRE } from '@trainkit/codecs';
import type { HistogramProto, Summary, SummaryAudio, SummaryImage, SummaryMetadata, SummaryValue, TensorProto } from './types.js';

/*
 * Field numbers from TensorBoard's summary.proto, tensor.proto, tensor_shape.proto and
 * histogram.proto. Fields are written in field-number order and proto3 defaults are left out, so
 * the output is byte-identical to TensorBoard's own serializer.
 */

export function writeSummary(w: ProtoWriter, summary: Summary): void {
  for (const value of summary.value) w.message(1, (m) => writeValue(m, value));
}

export function writeValue(w: ProtoWriter, v: SummaryValue): void {
  if (v.tag) w.string(1, v.tag);
  if (v.simpleValue !== undefined) w.float(2, v.simpleValue);
  if (v.image) w.message(4, (m) => writeImage(m, v.image!));
  if (v.histo) w.message(5, (m) => writeHistogram(m, v.histo!));
  if (v.audio) w.message(6, (m) => writeAudio(m, v.audio!));
  if (v.nodeName) w.string(7, v.nodeName);
  if (v.tensor) w.message(8, (m) => writeTensor(m, v.tensor!));
  if (v.metadata) w.message(9, (m) => writeMetadata(m, v.metadata!));
}

function writeMetadata(w: ProtoWriter, md: SummaryMetadata): void {
  const pd = md.pluginData;
  if (pd)
    w.message(1, (m) => {
      if (pd.pluginName) m.string(1, pd.pluginName);
      if (pd.content?.length) m.bytes(2, pd.content);
    });
  if (md.displayName) w.string(2, md.displayName);
  if (md.summaryDescription) w.string(3, md.summaryDescription);
  if (md.dataClass) w.uint(4, md.dataClass);
}

function writeImage(w: ProtoWriter, img: SummaryImage): void {
  if (img.height) w.uint(1, img.height);
  if (img.width) w.uint(2, img.width);
  if (img.colorspace) w.uint(3, img.colorspace);
  if (img.encodedImageString.length) w.bytes(4, img.encodedImageString);
}

function writeAudio(w: ProtoWriter, a: SummaryAudio): void {
  if (a.sampleRate) w.float(1, a.sampleRate);
  if (a.numChannels) w.int64(2, a.numChannels);
  if (a.lengthFrames) w.int64(3, a.lengthFrames);
  if (a.encodedAudioString.length) w.bytes(4, a.encodedAudioString);
  if (a.contentType) w.string(5, a.contentType);
}

function writeHistogram(w: ProtoWriter, h: HistogramProto): void {
  if (h.min) w.double(1, h.min);
  if (h.max) w.double(2, h.max);
  if (h.num) w.double(3, h.num);
  if (h.sum) w.double(4, h.sum);
  if (h.sumSquares) w.double(5, h.sumSquares);
  if (h.bucketLimit.length) w.packedDoubles(6, h.bucketLimit);
  if (h.bucket.length) w.packedDoubles(7, h.bucket);
}

export function writeTensor(w: ProtoWriter, t: TensorProto): void {
  if (t.dtype) w.uint(1, t.dtype);
  // the shape is always present, even for a scalar (an empty message), as TensorFlow writes it
  w.message(2, (s) => {
    for (const size of t.shape)
      s.message(2, (d) => {
        if (size) d.int64(1, size);
      });
  });
  if (t.tensorContent?.length) w.bytes(4, t.tensorContent);
  if (t.floatVal?.length) w.packedFloats(5, t.floatVal);
  if (t.doubleVal?.length) w.packedDoubles(6, t.doubleVal);
  if (t.intVal?.length) w.packedVarints(7, t.intVal);
  if (t.stringVal) for (const s of t.stringVal) w.bytes(8, s);
  if (t.int64Val?.length) w.packedVarints(10, t.int64Val);
  if (t.boolVal?.length) w.packedVarints(11, t.boolVal.map(Number));
}

export function readSummary(r: ProtoReader): Summary {
  const value: SummaryValue[] = [];
  while (r.next()) {
    if (r.field === 1 && r.wire === WIRE.LEN) value.push(readValue(r.message()));
    else r.skip();
  }
  return { value };
}

function readValue(r: ProtoReader): SummaryValue {
  const v: SummaryValue = { tag: '' };
  while (r.next()) {
    switch (r.field) {
      case 1:
        v.tag = r.string();
        break;
      case 2:
        v.simpleValue = r.float();
        break;
      case 4:
        v.image = readImage(r.message());
        break;
      case 5:
        v.histo = readHistogram(r.message());
        break;
      case 6:
        v.audio = readAudio(r.message());
        break;
      case 7:
        v.nodeName = r.string();
        break;
      case 8:
        v.tensor = readTensor(r.message());
        break;
      case 9:
        v.metadata = readMetadata(r.message());
        break;
      default:
        r.skip();
    }
  }
  return v;
}

function readMetadata(r: ProtoReader): SummaryMetadata {
  const md: SummaryMetadata = {};
  while (r.next()) {
    if (r.field === 1) {
      const pd: { pluginName: string; content?: Uint8Array } = { pluginName: '' };
      for (const p = r.message(); p.next(); ) {
        if (p.field === 1) pd.pluginName = p.string();
        else if (p.field === 2) pd.content = p.bytes();
        else p.skip();
      }
      md.pluginData = pd;
    } else if (r.field === 2) md.displayName = r.string();
    else if (r.field === 3) md.summaryDescription = r.string();
    else if (r.field === 4) md.dataClass = r.varint();
    else r.skip();
  }
  return md;
}

function readImage(r: ProtoReader): SummaryImage {
  const img: SummaryImage = { height: 0, width: 0, colorspace: 0, encodedImageString: new Uint8Array(0) };
  while (r.next()) {
    if (r.field === 1) img.height = r.int64();
    else if (r.field === 2) img.width = r.int64();
    else if (r.field === 3) img.colorspace = r.int64();
    else if (r.field === 4) img.encodedImageString = r.bytes();
    else r.skip();
  }
  return img;
}

function readAudio(r: ProtoReader): SummaryAudio {
  const a: SummaryAudio = { sampleRate: 0, numChannels: 0, lengthFrames: 0, encodedAudioString: new Uint8Array(0), contentType: '' };
  while (r.next()) {
    if (r.field === 1) a.sampleRate = r.float();
    else if (r.field === 2) a.numChannels = r.int64();
    else if (r.field === 3) a.lengthFrames = r.int64();
    else if (r.field === 4) a.encodedAudioString = r.bytes();
    else if (r.field === 5) a.contentType = r.string();
    else r.skip();
  }
  return a;
}

function readHistogram(r: ProtoReader): HistogramProto {
  const h: HistogramProto = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  while (r.next()) {
    if (r.field === 1) h.min = r.double();
    else if (r.field === 2) h.max = r.double();
    else if (r.field === 3) h.num = r.double();
    else if (r.field === 4) h.sum = r.double();
    else if (r.field === 5) h.sumSquares = r.double();
    else if (r.field === 6) r.doubles(h.bucketLimit);
    else if (r.field === 7) r.doubles(h.bucket);
    else r.skip();
  }
  return h;
}

function readTensor(r: ProtoReader): TensorProto {
  const t: TensorProto = { dtype: 0, shape: [] };
  while (r.next()) {
    switch (r.field) {
      case 1:
        t.dtype = r.varint();
        break;
      case 2:
        for (const s = r.message(); s.next(); ) {
          if (s.field !== 2) {
            s.skip();
            continue;
          }
          let size = 0;
          for (const d = s.message(); d.next(); ) {
            if (d.field === 1) size = d.int64();
            else d.skip();
          }
          t.shape.push(size);
        }
        break;
      case 4:
        t.tensorContent = r.bytes();
        break;
      case 5:
        r.floats((t.floatVal ??= []));
        break;
      case 6:
        r.doubles((t.doubleVal ??= []));
        break;
      case 7:
        r.int64s((t.intVal ??= []));
        break;
      case 8:
        (t.stringVal ??= []).push(r.bytes());
        break;
      case 10:
        r.int64s((t.int64Val ??= []));
        break;
      case 11: {
        const bools: number[] = [];
        r.int64s(bools);
        (t.boolVal ??= []).push(...bools.map((b) => b !== 0));
        break;
      }
      default:
        r.skip();
    }
  }
  return t;
}
