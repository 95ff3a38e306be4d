import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { type HttpRequest, type HttpResponse, NetworkError } from './http-types.js';

// The worker is plain CommonJS given as source text, so it runs the same from TypeScript sources
// (tests) and from the built package; it loads undici from the path this module resolves.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { request } = require(workerData.undici);
const { port, flag } = workerData;
port.on('message', async ({ id, req }) => {
  let res;
  try {
    const r = await request(req.url, { method: req.method, headers: req.headers, body: req.body, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs });
    const body = Buffer.from(await r.body.arrayBuffer());
    res = { status: r.statusCode, headers: r.headers, body };
  } catch (e) {
    const code = e.code || (e.cause && e.cause.code);
    res = { error: { code, message: (code || 'network error') + ': ' + ((e.cause && e.cause.message) || e.message) } };
  }
  port.postMessage({ id, res });
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

type WorkerAnswer = { id: number; res: HttpResponse | { error: { code?: string; message: string } } };

/**
 * HTTP that blocks the calling thread until the answer is in. Only the start of a run uses it:
 * a wrong API key or a resume conflict must stop the run inside the (synchronous) backend
 * constructor, before any training time is spent. The request runs on a worker thread with
 * undici; this thread waits on a shared flag.
 */
export class BlockingHttp {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const undici = createRequire(import.meta.url).resolve('undici');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { undici, port: port2, flag: this.flag }, transferList: [port2] });
    this.worker.unref();
  }

  send(req: HttpRequest): HttpResponse {
    const id = this.nextId++;
    this.port.postMessage({ id, req: { ...req, body: req.body === undefined ? undefined : Buffer.from(req.body) } });
    // the worker's own timeouts end the request; the margin covers starting the worker
    const deadline = Date.now() + (req.timeoutMs || 60_000) + 10_000;
    for (;;) {
      // the worker bumps the counter after posting, so an answer that lands between the port
      // check and the wait makes the wait return at once
      const seen = Atomics.load(this.flag, 0);
      let msg = receiveMessageOnPort(this.port) as { message: WorkerAnswer } | undefined;
      // answers to requests that already timed out here are dropped
      while (msg && msg.message.id !== id) msg = receiveMessageOnPort(this.port) as { message: WorkerAnswer } | undefined;
      if (msg) {
        const res = msg.message.res;
        if ('error' in res) throw new NetworkError(res.error.message, res.error.code);
        return { status: res.status, headers: res.headers, body: Buffer.from(res.body) };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new NetworkError(`no answer within ${req.timeoutMs} ms`, 'UND_ERR_HEADERS_TIMEOUT');
      Atomics.wait(this.flag, 0, seen, left);
    }
  }

  /** Blocks the thread for `ms` (back-off between start-up attempts). */
  static sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
