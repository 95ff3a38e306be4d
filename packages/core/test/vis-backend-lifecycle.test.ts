import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Hook, type RunStatus, type VisBackend, VisBackendStartError, Visualizer, createRunner, getLogger } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/**
 * A backend of the async contract: `start` opens its file with fs.promises (so it is truly
 * asynchronous), every call appends a line to that open file, `close` closes it asynchronously.
 * Writing before start has opened the file throws, so a held call that arrived early shows.
 */
class FileBackend implements VisBackend {
  private handle: fs.promises.FileHandle | undefined;
  readonly events: string[] = [];
  constructor(
    readonly file: string,
    readonly name = 'file',
  ) {}

  async start(): Promise<void> {
    this.events.push('start:begin');
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    this.handle = await fs.promises.open(this.file, 'a');
    this.events.push('start:done');
  }

  private write(line: string): Promise<void> {
    if (!this.handle) throw new Error(`${this.name}: written before start`);
    this.events.push(line);
    return this.handle.appendFile(`${line}\n`);
  }

  addScalars(scalars: Record<string, number>, step: number): Promise<void> {
    return this.write(`scalars ${JSON.stringify(scalars)} @${step}`);
  }

  addConfig(_config: Record<string, unknown>, text: string): Promise<void> {
    return this.write(`config ${text.length}`);
  }

  addLogLine(line: string): void {
    void this.write(`line ${line}`);
  }

  async close(status?: RunStatus): Promise<void> {
    if (!this.handle) throw new Error(`${this.name}: closed before start`);
    await this.handle.appendFile(`closed ${status?.exitCode ?? '-'}\n`);
    await this.handle.close();
    this.handle = undefined;
    this.events.push('closed');
  }
}

/** A backend whose start fails the way a refused credential does. */
class RefusingBackend implements VisBackend {
  readonly name = 'refusing';
  calls = 0;
  async start(): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    throw new Error('the server refused the API key');
  }
  addScalars(): void {
    this.calls++;
  }
  close(): void {
    this.calls++;
  }
}

/** A third-party backend written to the old interface: no start, synchronous methods. */
class SyncBackend implements VisBackend {
  readonly name = 'sync';
  readonly rows: Array<Record<string, number>> = [];
  closed = false;
  addScalars(scalars: Record<string, number>): void {
    this.rows.push(scalars);
  }
  close(): void {
    this.closed = true;
  }
}

describe('the async VisBackend lifecycle', () => {
  it('holds calls made before start until the backend started, in order, and awaits close', async () => {
    const file = path.join(tempDir(), 'vis', 'rows.txt');
    const backend = new FileBackend(file);
    const vis = new Visualizer({ vis_backends: [backend] });
    vis.addScalars({ loss: 1 }, 1);
    vis.addScalars({ loss: 0.5 }, 2);
    await vis.start();
    expect(backend.events.slice(0, 2)).toEqual(['start:begin', 'start:done']);
    vis.addScalars({ loss: 0.25 }, 3);
    await vis.close({ exitCode: 0 });
    expect(backend.events).toEqual(['start:begin', 'start:done', 'scalars {"loss":1} @1', 'scalars {"loss":0.5} @2', 'scalars {"loss":0.25} @3', 'closed']);
    // close resolved only once the file was written and closed
    expect(fs.readFileSync(file, 'utf8')).toBe('scalars {"loss":1} @1\nscalars {"loss":0.5} @2\nscalars {"loss":0.25} @3\nclosed 0\n');
  });

  it('a failing start rejects start() with the backend name; the backend gets nothing more and is not closed', async () => {
    const refusing = new RefusingBackend();
    const sync = new SyncBackend();
    const vis = new Visualizer({ vis_backends: [sync, refusing] });
    vis.addScalars({ a: 1 });
    const error = await vis.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VisBackendStartError);
    expect((error as Error).message).toBe('visualizer.vis_backends: refusing could not start: the server refused the API key');
    expect((error as VisBackendStartError).backend).toBe('refusing');
    // a second start() reports the same error, and no call reached the backend
    await expect(vis.start()).rejects.toBe(error);
    vis.addScalars({ a: 2 });
    await vis.close();
    expect(refusing.calls).toBe(0);
    expect(sync.rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(sync.closed).toBe(true);
  });

  it('a backend of the old interface (no start, sync methods) is called at once, before and after start', async () => {
    const sync = new SyncBackend();
    const vis = new Visualizer({ vis_backends: [sync] });
    vis.addScalars({ a: 1 });
    expect(sync.rows).toEqual([{ a: 1 }]);
    await vis.start();
    vis.addScalars({ a: 2 });
    expect(sync.rows).toEqual([{ a: 1 }, { a: 2 }]);
    await vis.close();
    expect(sync.closed).toBe(true);
  });

  it('a Visualizer used without start() starts a backend at its first call', async () => {
    const file = path.join(tempDir(), 'rows.txt');
    const backend = new FileBackend(file);
    const vis = new Visualizer({ vis_backends: [backend] });
    vis.addScalars({ x: 1 }, 0);
    vis.addLogLine('hello');
    await vis.flush();
    await vis.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('scalars {"x":1} @0\nline hello\nclosed -\n');
  });

  it('without start(), a backend whose start fails is reported once, as a warning, and gets nothing', async () => {
    const refusing = new RefusingBackend();
    const vis = new Visualizer({ vis_backends: [refusing] });
    const logger = getLogger();
    const lines: string[] = [];
    const level = logger.level;
    logger.level = 'WARNING';
    const previous = logger.setConsole((line) => lines.push(line));
    try {
      vis.addScalars({ a: 1 });
      vis.addScalars({ a: 2 });
      await vis.flush();
      vis.addScalars({ a: 3 });
      await vis.close();
    } finally {
      logger.setConsole(previous);
      logger.level = level;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /visualizer\.vis_backends: refusing could not start: the server refused the API key; it records nothing \(await visualizer\.start\(\) to stop on this error\)/,
    );
    expect(refusing.calls).toBe(0);
    // an explicit start() still throws the error
    await expect(vis.start()).rejects.toThrow(VisBackendStartError);
  });

  it('a backend that never started is neither flushed nor closed', async () => {
    const file = path.join(tempDir(), 'never.txt');
    const backend = new FileBackend(file);
    const vis = new Visualizer({ vis_backends: [backend] });
    await vis.flush();
    await vis.close();
    expect(backend.events).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the runner and the vis backend lifecycle', () => {
  it('starts the backends before the first hook, sends the config after start, closes them on dispose', async () => {
    const workDir = tempDir();
    const file = path.join(workDir, 'backend.txt');
    const backend = new FileBackend(file);
    const seen: string[] = [];
    class Probe extends Hook {
      override beforeRun(): void {
        seen.push(`beforeRun after ${backend.events.join(',')}`);
      }
    }
    const runner = await createRunner(toyConfig(workDir, { visualizer: { vis_backends: [backend] }, custom_hooks: [new Probe()] }));
    // building the runner starts nothing
    expect(backend.events).toEqual([]);
    const before = tf.memory().numTensors;
    await runner.train();
    await runner.dispose();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^beforeRun after start:begin,start:done,config \d+$/);
    expect(backend.events.at(-1)).toBe('closed');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^config \d+\n[\s\S]*closed -\n$/);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('a backend that cannot start fails train() with its name before any hook or training step runs', async () => {
    const refusing = new RefusingBackend();
    const points: string[] = [];
    class Probe extends Hook {
      override beforeRun(): void {
        points.push('beforeRun');
      }
      override afterTrainIter(): void {
        points.push('iter');
      }
    }
    const level = getLogger().level;
    const runner = await createRunner(toyConfig(tempDir(), { visualizer: { vis_backends: [refusing] }, custom_hooks: [new Probe()] }));
    try {
      await expect(runner.train()).rejects.toThrow(/^visualizer\.vis_backends: refusing could not start: the server refused the API key/);
      expect(points).toEqual([]);
      await runner.dispose();
      expect(refusing.calls).toBe(0);
    } finally {
      getLogger().level = level;
    }
  });
});
