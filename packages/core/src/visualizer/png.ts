// The one PNG encoder of trainkit lives in @trainkit/codecs (TensorBoard and W&B images use it
// too); core re-exports it for plugins and LocalVisBackend.
export { encodePng } from '@trainkit/codecs';
