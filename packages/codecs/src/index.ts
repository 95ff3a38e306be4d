/**
 * @trainkit/codecs: the binary formats trainkit writes in more than one place, implemented once.
 * The protobuf wire codec carries TensorBoard's event records (@trainkit/tfevents) and W&B's
 * run log (@trainkit/vis-wandb); the PNG encoder serves LocalVisBackend, TensorBoard image
 * summaries and W&B media. Node.js only, no dependencies.
 */
export { ProtoWriter } from './protobuf/writer.js';
export { ProtoReader } from './protobuf/reader.js';
export { ProtoDecodeError, WIRE, putVarint, varintSize } from './protobuf/wire.js';
export { encodePng, checkPixels, type ImagePixels } from './png.js';
