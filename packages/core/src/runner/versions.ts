import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';

function ownVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

/** Versions recorded in logs and checkpoints. */
export const VERSIONS = { trainkit: ownVersion(), tfjs: tf.version.tfjs, node: process.versions.node };
