import { Writable } from 'node:stream';
import type { Runner } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { LoggerHook, ProgressDisplay, isInteractive } from '../src/index.js';
import { runToy } from './helpers.js';
import { FakeTerminal } from './terminal.js';

/** A display that draws a frame on every update. */
const eager = (term: FakeTerminal) => new ProgressDisplay(term, 1e9);

describe('ProgressDisplay', () => {
  it('draws label, bar, count, rate, ETA and loss on one line', () => {
    const term = new FakeTerminal();
    const display = eager(term);
    display.update({ phase: 'train', label: 'Epoch(train) [1/2]', value: 1, total: 5, eta: 7.9 });
    display.update({ phase: 'train', label: 'Epoch(train) [1/2]', value: 3, total: 5, eta: 7.9, loss: 0.43216 });
    const screen = term.screen();
    expect(screen).toHaveLength(1);
    expect(screen[0]).toMatch(/^Epoch\(train\) \[1\/2\] \[=+-+\] 3\/5 \| [\d.]+ it\/s \| ETA 0:00:07 \| loss 0\.4322$/);
    display.stop();
    expect(term.screen()).toEqual([]);
  });

  it('moves out of the way of log lines and comes back under them', () => {
    const term = new FakeTerminal();
    const display = eager(term);
    display.update({ phase: 'val', label: 'Epoch(val) [1]', value: 1, total: 4 });
    display.writeAbove(() => term.println('first line'));
    display.update({ phase: 'val', label: 'Epoch(val) [1]', value: 2, total: 4 });
    display.writeAbove(() => term.println('second line'));
    const screen = term.screen();
    expect(screen.slice(0, 2)).toEqual(['first line', 'second line']);
    expect(screen[2]).toMatch(/^Epoch\(val\) \[1\] \[=+-+\] 2\/4/);
    display.stop();
    expect(term.screen()).toEqual(['first line', 'second line']);
    display.writeAbove(() => term.println('after'));
    expect(term.screen()).toEqual(['first line', 'second line', 'after']);
  });

  it('reads the loss only when a frame is due', () => {
    const term = new FakeTerminal();
    const display = new ProgressDisplay(term, 1);
    let reads = 0;
    const loss = () => {
      reads++;
      return 1;
    };
    for (let i = 1; i <= 1000; i++) display.update({ phase: 'train', label: 'Iter(train)', value: i, total: 10_000, loss });
    expect(reads).toBeLessThanOrEqual(2);
    display.stop();
  });

  it('is only interactive on a TTY', () => {
    expect(isInteractive(new FakeTerminal())).toBe(true);
    expect(isInteractive(new Writable())).toBe(false);
  });
});

describe('LoggerHook progress', () => {
  async function runOn(term: Writable & { isTTY?: boolean }, logger: Record<string, unknown> = {}): Promise<string[]> {
    const printed: string[] = [];
    await runToy({
      logger,
      before: (runner: Runner) => {
        const hook = runner.hooks.find((h) => h instanceof LoggerHook) as LoggerHook;
        hook.progressStream = term;
        runner.logger.setConsole((line) => {
          printed.push(line);
          term.write(`${line}\n`);
        });
      },
    });
    return printed;
  }

  it('keeps every log line intact on a terminal and leaves no bar behind', async () => {
    const term = new FakeTerminal();
    const printed = await runOn(term);
    expect(term.output).toMatch(/Epoch\(train\) \[1\/2\] \[[=-]+\] \d\/5/);
    expect(term.output).toMatch(/Epoch\(val\) \[1\] \[[=-]+\] \d\/5/);
    // what the user sees at the end is exactly the log, line for line
    expect(term.screen()).toEqual(printed.flatMap((l) => l.split('\n')).map((l) => l.trimEnd()));
  });

  it('draws nothing off a TTY or with progress: false', async () => {
    const plain = Object.assign(new FakeTerminal(), { isTTY: false });
    const printed = await runOn(plain);
    expect(plain.output).toBe(printed.map((l) => `${l}\n`).join(''));
    const term = new FakeTerminal();
    const printedOff = await runOn(term, { progress: false });
    expect(term.output).toBe(printedOff.map((l) => `${l}\n`).join(''));
  });
});
