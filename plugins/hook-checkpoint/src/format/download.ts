import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CheckpointError, getLogger } from '@trainkit/core';
import { EnvHttpProxyAgent, type Dispatcher, interceptors, request } from 'undici';

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** `TRAINKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/trainkit/checkpoints`, else `~/.cache/trainkit/checkpoints`. */
export function checkpointCacheDir(): string {
  if (process.env.TRAINKIT_CACHE_DIR) return path.resolve(process.env.TRAINKIT_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'trainkit', 'checkpoints');
}

/** The cache file of a URL: a hash of the whole URL (query included) plus its readable file name. */
export function cachePathFor(url: string, dir = checkpointCacheDir()): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const { pathname } = new URL(url);
  let name: string;
  try {
    name = decodeURIComponent(pathname);
  } catch {
    name = pathname; // a malformed %-sequence: keep it as it is
  }
  const base = path.basename(name) || 'checkpoint.safetensors';
  return path.join(dir, `${hash}-${base.replace(/[^\w.-]/g, '_')}`);
}

let dispatcher: Dispatcher | undefined;
function http(): Dispatcher {
  // honours HTTP(S)_PROXY / NO_PROXY and follows redirects (release assets redirect to a CDN)
  dispatcher ??= new EnvHttpProxyAgent().compose(interceptors.redirect({ maxRedirections: 5 }));
  return dispatcher;
}

/**
 * Downloads `url` into the cache once and returns the local path. A cached file is used without
 * touching the network. An interrupted download leaves `<file>.part`, which the next call
 * continues with an HTTP Range request; the size is checked against what the server announced
 * before the file takes its final name.
 */
export async function downloadToCache(url: string, dir = checkpointCacheDir()): Promise<string> {
  const file = cachePathFor(url, dir);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const part = `${file}.part`;
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const log = getLogger();
  log.info(`Downloading ${url} to ${file}${have ? ` (resuming after ${have} bytes)` : ''}`);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { dispatcher: http(), headers: have ? { range: `bytes=${have}-` } : {} });
  } catch (e) {
    throw new CheckpointError(`cannot download ${url}: ${(e as Error).message}`);
  }
  const { statusCode, headers, body } = res;
  let expected: number | undefined;
  let append = false;
  if (statusCode === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(String(headers['content-range'] ?? ''));
    if (!m || Number(m[1]) !== have) {
      await body.dump();
      fs.rmSync(part, { force: true });
      throw new CheckpointError(`cannot download ${url}: the server answered the resume request with the wrong range; run again to download from the start`);
    }
    append = true;
    expected = m[2] === '*' ? undefined : Number(m[2]);
  } else if (statusCode === 200) {
    const len = headers['content-length'];
    expected = len === undefined ? undefined : Number(len);
  } else if (statusCode === 416 && have > 0) {
    // the part already holds everything: the server has nothing after its end
    await body.dump();
    const total = /\/(\d+)$/.exec(String(headers['content-range'] ?? ''))?.[1];
    if (total !== undefined && Number(total) === have) return finish(part, file, have, have, url);
    fs.rmSync(part, { force: true });
    throw new CheckpointError(
      `cannot download ${url}: the partial download does not match the file on the server any more; run again to download from the start`,
    );
  } else {
    await body.dump();
    throw new CheckpointError(`cannot download ${url}: HTTP ${statusCode}`);
  }
  const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
  try {
    await pipeline(body, out);
  } catch (e) {
    // pipeline rejects while the file's last write may still be landing: the .part must be
    // final before anyone (the next attempt's Range request) reads its size
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    throw new CheckpointError(`download of ${url} broke off (${(e as Error).message}); run again to resume it from ${part}`);
  }
  return finish(part, file, fs.statSync(part).size, expected, url);
}

function finish(part: string, file: string, size: number, expected: number | undefined, url: string): string {
  if (expected !== undefined && size !== expected)
    throw new CheckpointError(`download of ${url} is incomplete: ${size} of ${expected} bytes; run again to resume it from ${part}`);
  fs.renameSync(part, file);
  return file;
}
