/**
 * @trainkit/tfevents: TensorBoard event files, written and read, for any JS program on Node.
 * No dependency on trainkit or TensorFlow.js; `@node-rs/crc32` provides hardware CRC32C.
 */

// writing
export { SummaryWriter, type SummaryWriterOptions, type HparamsOptions } from './summary-writer.js';
export { EventFileWriter, type EventFileWriterOptions, type EventFileWriterStats } from './event-file-writer.js';
export { eventFileName, isEventFileName } from './file-name.js';
export {
  PLUGIN,
  HPARAMS_TAG,
  scalarValue,
  imageValue,
  histogramValue,
  textValue,
  sessionStartValue,
  sessionEndValue,
  experimentValue,
  type HistogramOptions,
} from './summaries.js';
export { encodePng, checkPixels, type ImagePixels } from '@trainkit/codecs';
export {
  DEFAULT_BUCKET_COUNT,
  EXPONENTIAL_BUCKET_LIMITS,
  equalWidthBuckets,
  exponentialHistogram,
  histogramProtoBuckets,
  type HistogramBucket,
} from './histogram.js';

// reading
export { RecordReader, type RecordReaderOptions } from './record-reader.js';
export { RecordParser, parseRecords, type RawRecord, type TruncatedRecord } from './record-parser.js';
export { EventFileReader, decodeEventFile } from './event-reader.js';
export { interpretValue, tensorNumbers, type SummaryData } from './decode-value.js';
export { readRun, readScalars, type RunData, type Point, type ReadRunOptions } from './run-reader.js';
export { DataLossError } from './errors.js';

// format
export { crc32c, maskedCrc32c, maskCrc, unmaskCrc, nativeCrc32cAvailable } from './crc32c.js';
export { frameRecord, RECORD_OVERHEAD_BYTES } from './record.js';
export { encodeEvent, decodeEvent } from './proto/event.js';
export { ProtoDecodeError } from '@trainkit/codecs';
export {
  encodeHParamsPluginData,
  decodeHParamsPluginData,
  HParamType,
  SessionEndStatus,
  DatasetType,
  type HParamValue,
  type HParamsPluginData,
  type SessionStartInfo,
  type SessionEndInfo,
  type Experiment,
  type HParamInfo,
  type MetricInfo,
} from './proto/hparams.js';
export {
  DataType,
  SessionStatus,
  DataClass,
  type Event,
  type SessionLog,
  type Summary,
  type SummaryValue,
  type SummaryMetadata,
  type SummaryImage,
  type SummaryAudio,
  type HistogramProto,
  type TensorProto,
} from './proto/types.js';
