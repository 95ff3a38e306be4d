#!/usr/bin/env node
// Writes the committed subset (the first N training and M test images, gzipped IDX) from the
// full Fashion-MNIST files, e.g. those of Debian's dataset-fashion-mnist package:
//   node scripts/make-subset.mjs /usr/share/datasets/fashion-mnist data 10000 2000
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const [src = '/usr/share/datasets/fashion-mnist', out = 'data', nTrain = '10000', nTest = '2000'] = process.argv.slice(2);

function subset(file, count) {
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(src, file)));
  const dims = raw[3];
  const header = 4 + 4 * dims;
  const shape = Array.from({ length: dims }, (_, i) => raw.readUInt32BE(4 + 4 * i));
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const n = Math.min(count, shape[0]);
  const head = Buffer.from(raw.subarray(0, header));
  head.writeUInt32BE(n, 4);
  const body = raw.subarray(header, header + n * per);
  fs.writeFileSync(path.join(out, file), zlib.gzipSync(Buffer.concat([head, body]), { level: 9 }));
  console.log(`${file}: ${n} of ${shape[0]}`);
}

fs.mkdirSync(out, { recursive: true });
subset('train-images-idx3-ubyte.gz', Number(nTrain));
subset('train-labels-idx1-ubyte.gz', Number(nTrain));
subset('t10k-images-idx3-ubyte.gz', Number(nTest));
subset('t10k-labels-idx1-ubyte.gz', Number(nTest));
