import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint, cachePathFor } from '../src/index.js';
import { checkpoint, tempDir, tf, trainToy } from './helpers.js';

/** A loopback file server with Range support that can break off its first answer half-way. */
class FileServer {
  requests: Array<{ url: string; range?: string }> = [];
  breakFirst = false;
  lieAboutSize = false;
  private server = http.createServer((req, res) => this.handle(req, res));
  constructor(readonly files: Record<string, Buffer>) {}

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({ url: req.url ?? '', range: req.headers.range });
    if (req.url === '/moved.safetensors') {
      res.writeHead(302, { location: '/model.safetensors' }).end();
      return;
    }
    const body = this.files[(req.url ?? '').split('?')[0]];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const part = body.subarray(start);
    const size = this.lieAboutSize ? body.length + 10 : body.length;
    res.writeHead(m ? 206 : 200, {
      'content-length': String(this.lieAboutSize ? part.length + 10 : part.length),
      ...(m ? { 'content-range': `bytes ${start}-${body.length - 1}/${size}` } : {}),
    });
    if (this.breakFirst) {
      this.breakFirst = false;
      res.write(part.subarray(0, Math.floor(part.length / 2)), () => res.destroy());
      return;
    }
    if (this.lieAboutSize) {
      res.write(part, () => res.destroy());
      return;
    }
    res.end(part);
  }
}

describe('load_from an http(s) URL', () => {
  let server: FileServer;
  let base: string;
  let source: string;
  const cache = tempDir();

  beforeAll(async () => {
    process.env.TRAINKIT_CACHE_DIR = cache;
    const wd = tempDir();
    await trainToy(wd, { train_cfg: { by_epoch: true, max_epochs: 1 }, default_hooks: checkpoint({ interval: 1 }) });
    source = path.join(wd, 'epoch_1.safetensors');
    const big = path.join(tempDir(), 'big.safetensors');
    await new SafetensorsCheckpoint().save(big, { meta: { epoch: 0, iter: 0 }, state_dict: { w: tf.range(0, 300_000) } });
    server = new FileServer({ '/model.safetensors': fs.readFileSync(source), '/big.safetensors': fs.readFileSync(big) });
    base = await server.start();
  });
  afterAll(async () => {
    await server.close();
    delete process.env.TRAINKIT_CACHE_DIR;
  });

  it('downloads once into the cache, loads it, and never downloads it again', async () => {
    const url = `${base}/model.safetensors`;
    const { log } = await trainToy(tempDir(), { train_cfg: { by_epoch: true, max_epochs: 1 }, load_from: url });
    expect(log).toContain(`Load checkpoint from ${url}`);
    const cached = cachePathFor(url, cache);
    expect(fs.readFileSync(cached).equals(fs.readFileSync(source))).toBe(true);
    const count = server.requests.length;
    const again = await new SafetensorsCheckpoint().load(url);
    expect(server.requests.length).toBe(count);
    for (const t of Object.values(again.state_dict)) t.dispose();
  });

  it('follows redirects', async () => {
    const ckpt = await new SafetensorsCheckpoint().load(`${base}/moved.safetensors`);
    expect(Object.keys(ckpt.state_dict)).toEqual(['linear.weight', 'linear.bias']);
    for (const t of Object.values(ckpt.state_dict)) t.dispose();
  });

  it('resumes a broken-off download with a Range request', async () => {
    const url = `${base}/big.safetensors?v=2`;
    server.breakFirst = true;
    const format = new SafetensorsCheckpoint();
    await expect(format.load(url)).rejects.toThrow(/run again to resume/);
    const part = `${cachePathFor(url, cache)}.part`;
    const have = fs.statSync(part).size;
    expect(have).toBeGreaterThan(0);
    const ckpt = await format.load(url);
    expect(server.requests.at(-1)?.range).toBe(`bytes=${have}-`);
    expect(ckpt.state_dict.w.dataSync()[299_999]).toBe(299_999);
    ckpt.state_dict.w.dispose();
    expect(fs.existsSync(part)).toBe(false);
  });

  it('checks the size the server announced', async () => {
    const url = `${base}/big.safetensors?v=3`;
    server.lieAboutSize = true;
    await expect(new SafetensorsCheckpoint().load(url)).rejects.toThrow(/incomplete|broke off/);
    server.lieAboutSize = false;
    expect(fs.existsSync(cachePathFor(url, cache))).toBe(false);
  });

  it('reports HTTP errors', async () => {
    await expect(new SafetensorsCheckpoint().load(`${base}/missing.safetensors`)).rejects.toThrow(/HTTP 404/);
  });
});
