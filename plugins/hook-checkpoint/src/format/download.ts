import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CheckpointError, getLogger } from '@trainkit/core';
import { ensureDir } from '@trainkit/core/plugin';
import type { Dispatcher } from 'undici';

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

/** Limits of URL downloads (CheckpointHook's `download_max_size` / `download_timeout`). */
export interface DownloadLimits {
  /** Largest file accepted, in bytes. */
  maxSize: number;
  /** Seconds to wait for a connection, for the answer, and between two pieces of the body. */
  timeoutS: number;
}

const GiB = 2 ** 30;
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxSize: 4 * GiB, timeoutS: 60 };
let limits: DownloadLimits = { ...DEFAULT_DOWNLOAD_LIMITS };

/** Sets the download limits of this process (the checkpoint hook does, from its options). */
export function setDownloadLimits(next: Partial<DownloadLimits>): void {
  limits = { ...limits, ...next };
  dispatcher = undefined;
}

export function downloadLimits(): DownloadLimits {
  const env = process.env;
  const maxSize = env.TRAINKIT_DOWNLOAD_MAX_SIZE ? Number(env.TRAINKIT_DOWNLOAD_MAX_SIZE) : limits.maxSize;
  const timeoutS = env.TRAINKIT_DOWNLOAD_TIMEOUT ? Number(env.TRAINKIT_DOWNLOAD_TIMEOUT) : limits.timeoutS;
  return { maxSize: maxSize > 0 ? maxSize : limits.maxSize, timeoutS: timeoutS > 0 ? timeoutS : limits.timeoutS };
}

let dispatcher: Dispatcher | undefined;
let dispatcherTimeout = 0;
// undici loads on the first download: importing it takes about half a second, which every run
// paid at start for a feature (URL load_from) that most runs never use
async function http(timeoutMs: number): Promise<{ dispatcher: Dispatcher; request: typeof import('undici').request }> {
  const { EnvHttpProxyAgent, interceptors, request } = await import('undici');
  // honours HTTP(S)_PROXY / NO_PROXY and follows redirects (release assets redirect to a CDN)
  if (!dispatcher || dispatcherTimeout !== timeoutMs) {
    dispatcher = new EnvHttpProxyAgent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }).compose(
      interceptors.redirect({ maxRedirections: 5 }),
    );
    dispatcherTimeout = timeoutMs;
  }
  return { dispatcher, request };
}

const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const LIMIT_FIX = 'raise default_hooks.checkpoint.download_max_size (or TRAINKIT_DOWNLOAD_MAX_SIZE, in bytes) if the file is really that large';

/** What a failed request or body read means, in words (undici's timeouts have codes). */
function networkProblem(e: unknown, timeoutS: number): string {
  const code = (e as { code?: string })?.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${timeoutS} s`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `the server did not answer within ${timeoutS} s`;
  if (code === 'UND_ERR_BODY_TIMEOUT') return `the server sent nothing for ${timeoutS} s`;
  return (e as Error)?.message ?? String(e);
}
const TIMEOUT_FIX = 'check the URL and the network; default_hooks.checkpoint.download_timeout (or TRAINKIT_DOWNLOAD_TIMEOUT, seconds) sets the wait';

/** Fails before writing when the disk cannot take `bytes` more. */
function ensureSpace(dir: string, bytes: number, url: string): void {
  let free: number;
  try {
    const st = fs.statfsSync(dir);
    free = Number(st.bavail) * Number(st.bsize);
  } catch {
    return; // no statfs here: the write itself reports a full disk
  }
  if (free < bytes) {
    throw new CheckpointError(
      `cannot download ${url}: it needs ${MB(bytes)} more, ${dir} has ${MB(free)} free. Free some space or set TRAINKIT_CACHE_DIR to another disk`,
    );
  }
}

/** Counts bytes as they pass, fails past the size cap, and shows progress on a terminal. */
function meter(start: number, total: number | undefined, maxSize: number, url: string, name: string): Transform {
  let done = start;
  const tty = Boolean(process.stderr.isTTY) && (total ?? 0) >= 64e6;
  let shown = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      if (done > maxSize) {
        callback(new CheckpointError(`cannot download ${url}: it is larger than the limit of ${MB(maxSize)}. ${LIMIT_FIX}`));
        return;
      }
      const now = Date.now();
      if (tty && now - shown > 500) {
        shown = now;
        process.stderr.write(`\rDownloading ${name}: ${MB(done)} of ${MB(total!)} (${Math.floor((100 * done) / total!)} %)`);
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (tty) process.stderr.write(`\rDownloading ${name}: ${MB(done)} done${' '.repeat(20)}\n`);
      callback();
    },
  });
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
  try {
    ensureDir(dir);
  } catch (e) {
    throw new CheckpointError(
      `cannot create the download cache ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); set TRAINKIT_CACHE_DIR to a writable folder`,
    );
  }
  const part = `${file}.part`;
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const log = getLogger();
  const { maxSize, timeoutS } = downloadLimits();
  log.info(`Downloading ${url} to ${file}${have ? ` (resuming after ${have} bytes)` : ''}`);
  let res: Dispatcher.ResponseData;
  try {
    const client = await http(timeoutS * 1000);
    res = await client.request(url, { dispatcher: client.dispatcher, headers: have ? { range: `bytes=${have}-` } : {} });
  } catch (e) {
    throw new CheckpointError(`cannot download ${url}: ${networkProblem(e, timeoutS)}; ${TIMEOUT_FIX}`);
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
  const start = append ? have : 0;
  const total = expected;
  if (total !== undefined && total > maxSize) {
    // abandoned for good: a partial file of it is of no use
    await body.dump().catch(() => {});
    fs.rmSync(part, { force: true });
    throw new CheckpointError(`cannot download ${url}: the server announces ${MB(total)}, more than the limit of ${MB(maxSize)}. ${LIMIT_FIX}`);
  }
  if (total !== undefined) {
    try {
      ensureSpace(dir, total - start, url);
    } catch (e) {
      await body.dump().catch(() => {});
      throw e; // the .part stays: once there is room, the next run resumes it
    }
  }
  const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
  try {
    await pipeline(body, meter(start, total, maxSize, url, path.basename(file)), out);
  } catch (e) {
    // pipeline rejects while the file's last write may still be landing: the .part must be
    // final before anyone (the next attempt's Range request) reads its size
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    if (e instanceof CheckpointError) {
      fs.rmSync(part, { force: true });
      throw e;
    }
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new CheckpointError(
        `cannot download ${url}: the disk of ${dir} is full. Free some space (the next run resumes ${part}) or set TRAINKIT_CACHE_DIR to another disk`,
      );
    }
    throw new CheckpointError(`download of ${url} broke off (${networkProblem(e, timeoutS)}); run again to resume it from ${part}`);
  }
  return finish(part, file, fs.statSync(part).size, expected, url);
}

function finish(part: string, file: string, size: number, expected: number | undefined, url: string): string {
  if (expected !== undefined && size > expected) {
    fs.rmSync(part, { force: true });
    throw new CheckpointError(
      `download of ${url} is longer than the server announced (${size} of ${expected} bytes); the partial file was removed, run again to download it anew`,
    );
  }
  if (expected !== undefined && size !== expected)
    throw new CheckpointError(`download of ${url} is incomplete: ${size} of ${expected} bytes; run again to resume it from ${part}`);
  fs.renameSync(part, file);
  return file;
}
