import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DOWNLOAD_LIMITS, SafetensorsCheckpoint, cachePathFor, setDownloadLimits } from '../src/index.js';
import { tempDir } from './helpers.js';

/** Loopback routes that misbehave in the ways a real server can. */
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  // announces far more than any limit allows
  '/huge.safetensors': (_req, res) => {
    res.writeHead(200, { 'content-length': String(40e9) });
    res.write(Buffer.alloc(1024));
  },
  // no length: a chunked body that goes on past the limit
  '/chunked.safetensors': (_req, res) => {
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = () => {
      while (sent < 4e6) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  },
  // announces more than any disk here has free, within the size limit
  '/roomy.safetensors': (_req, res) => {
    res.writeHead(200, { 'content-length': String(2 ** 52) });
    res.write(Buffer.alloc(16));
  },
  // accepts the connection and never answers
  '/hang.safetensors': () => {},
};

describe('URL downloads have limits', () => {
  const cache = tempDir();
  const server = http.createServer((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0]];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  let base = '';

  beforeAll(async () => {
    process.env.TRAINKIT_CACHE_DIR = cache;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => setDownloadLimits(DEFAULT_DOWNLOAD_LIMITS));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    delete process.env.TRAINKIT_CACHE_DIR;
  });

  it('refuses a file announced above download_max_size before writing anything', async () => {
    const url = `${base}/huge.safetensors`;
    const err = await new SafetensorsCheckpoint().load(url).catch((e) => e);
    expect(err.name).toBe('CheckpointError');
    expect(err.message).toMatch(/announces 40000\.0 MB, more than the limit of 4295\.0 MB/);
    expect(err.message).toContain('download_max_size');
    expect(fs.existsSync(`${cachePathFor(url, cache)}.part`)).toBe(false);
  });

  it('stops a body without a length once it passes the limit, and removes the .part', async () => {
    setDownloadLimits({ maxSize: 1e6 });
    const url = `${base}/chunked.safetensors`;
    const err = await new SafetensorsCheckpoint().load(url).catch((e) => e);
    expect(err.message).toMatch(/larger than the limit of 1\.0 MB/);
    expect(fs.existsSync(`${cachePathFor(url, cache)}.part`)).toBe(false);
    expect(fs.existsSync(cachePathFor(url, cache))).toBe(false);
  });

  it('checks free space before writing', async () => {
    setDownloadLimits({ maxSize: 2 ** 53 });
    const err = await new SafetensorsCheckpoint().load(`${base}/roomy.safetensors`).catch((e) => e);
    expect(err.message).toMatch(/needs \d+\.\d MB more, .* has \d+\.\d MB free/);
    expect(err.message).toContain('TRAINKIT_CACHE_DIR');
  });

  it('gives up on a server that never answers after download_timeout, saying so', async () => {
    setDownloadLimits({ timeoutS: 1 });
    const started = Date.now();
    const err = await new SafetensorsCheckpoint().load(`${base}/hang.safetensors`).catch((e) => e);
    expect(err.message).toMatch(/did not answer within 1 s/);
    expect(err.message).toContain('download_timeout');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
