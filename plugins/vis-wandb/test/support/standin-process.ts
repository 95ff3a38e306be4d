import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeTsxArgs } from './node-tsx.js';
import type { Fault, PreloadRun, StandinSetup, StandinState } from './wandb-standin.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A W&B stand-in server in a child process, driven over its `/__standin/` control routes. */
export class StandinProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<StandinProcess> {
    const child = spawn(process.execPath, nodeTsxArgs(path.join(here, 'standin-main.ts')), { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /READY (\d+)/.exec(text);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`stand-in exited early with ${code}`)));
    });
    return new StandinProcess(child, `http://127.0.0.1:${port}`);
  }

  private async control(what: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}/__standin/${what}`, {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  }

  reset(setup: StandinSetup): Promise<unknown> {
    return this.control('reset', setup);
  }

  faults(faults: Fault[]): Promise<unknown> {
    return this.control('faults', faults);
  }

  preload(run: PreloadRun): Promise<unknown> {
    return this.control('preload', run);
  }

  async state(): Promise<StandinState> {
    return (await this.control('state')) as StandinState;
  }

  stop(): void {
    this.child.stdin?.end();
    this.child.kill();
  }
}
