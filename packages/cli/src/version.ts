import * as fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * `trainkit --version` from the packages' package.json files alone: importing core would load
 * TensorFlow.js (most of a second) only to print three version numbers. Core's `VERSIONS` says
 * the same (its own package.json, tfjs's version, Node's).
 */
export function versionLine(): string {
  const require = createRequire(import.meta.url);
  const core = packageVersion(require, '@trainkit/core/package.json');
  // tfjs is core's peer: resolve it from core's folder, where core itself finds it
  const fromCore = createRequire(require.resolve('@trainkit/core/package.json'));
  const tfjs = packageVersion(fromCore, '@tensorflow/tfjs/package.json');
  return `trainkit ${core} (TensorFlow.js ${tfjs}, Node.js ${process.versions.node})`;
}

function packageVersion(require: NodeJS.Require, manifest: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(manifest), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
