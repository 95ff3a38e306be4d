// The entry bench/gpu-pack.mjs bundles for a GPU machine: everything the webgpu benches need,
// imported up front (there is no node_modules there to discover plugins in), then one bench.
//   node bench.mjs speed [bench/gpu.mjs options] | node bench.mjs train [bench/fashion-mnist.mjs options]
import '@trainkit/backend-webgpu';
import '../examples/fashion-mnist/src/index.ts';
import '@trainkit/hook-checkpoint';
import '@trainkit/hook-ema';
import '@trainkit/hook-logger';
import '@trainkit/optim';

const [mode] = process.argv.splice(2, 1);
if (mode === 'speed') await import('./gpu.mjs');
else if (mode === 'train') await import('./fashion-mnist.mjs');
else {
  console.error('usage: node bench.mjs speed [--iters N] [--cases ...] [--profile] | train [--cases cnn:webgpu] [--config-dir DIR]');
  process.exit(2);
}
