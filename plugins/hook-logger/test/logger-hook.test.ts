import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, HOOKS, Hook, type HookConfig, type Runner, type VisBackend, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import { describe, expect, it } from 'vitest';
import { LoggerHook, intervalWarning, roundInterval } from '../src/index.js';
import { grep, readJsonLines, runToy } from './helpers.js';
import { FakeTerminal } from './terminal.js';

const trainHeaders = (messages: string[]) => grep(messages, /^(Epoch|Iter)\(train\)/).map((l) => l.slice(0, l.indexOf(']  ') + 1));

describe('when train lines are logged', () => {
  it('logs the last batch of an epoch only with ignore_last false (or an interval of at least the epoch)', async () => {
    const epoch1 = (m: string[]) => trainHeaders(m).filter((h) => h.includes('[1]['));
    expect(epoch1((await runToy({ logger: { interval: 2 } })).messages)).toEqual(['Epoch(train) [1][2/5]', 'Epoch(train) [1][4/5]']);
    expect(epoch1((await runToy({ logger: { interval: 2, ignore_last: false } })).messages)).toEqual([
      'Epoch(train) [1][2/5]',
      'Epoch(train) [1][4/5]',
      'Epoch(train) [1][5/5]',
    ]);
    expect(epoch1((await runToy({ logger: { interval: 5 } })).messages)).toEqual(['Epoch(train) [1][5/5]']);
  });

  it('warns once when the interval is larger than an epoch (the FAQ case) and names an interval to use', async () => {
    const out = await runToy({ logger: { interval: 50 } });
    const warnings = grep(out.messages, /LoggerHook interval/);
    expect(warnings).toEqual([
      'LoggerHook interval 50 is larger than a train epoch (5 iterations): no line falls on the interval, only the last iteration of each epoch is logged; set default_hooks.logger.interval to 2 (anything up to 5) to see progress within epochs',
    ]);
    expect(trainHeaders(out.messages)).toEqual(['Epoch(train) [1][5/5]', 'Epoch(train) [2][5/5]']);
    expect(out.fileLines.some((l) => l.includes(' - WARNING - LoggerHook interval 50'))).toBe(true);
  });

  it('warns when an iteration-based run would log no train line at all', async () => {
    const out = await runToy({
      logger: { interval: 50 },
      overrides: {
        train_cfg: { by_epoch: false, max_iters: 12, val_interval: 100 },
        train_dataloader: { dataset: { type: 'ToyDataset', length: 40 }, batch_size: 2 },
        log_processor: { by_epoch: false },
      },
    });
    expect(trainHeaders(out.messages)).toEqual([]);
    expect(grep(out.messages, /LoggerHook interval/)).toEqual([
      'LoggerHook interval 50 is larger than the 12 training iterations: no training line will be logged; set default_hooks.logger.interval to 5 (anything up to 12)',
    ]);
  });

  it('prints Exp name every interval_exp_name iterations and where the dataloader ends (iteration-based)', async () => {
    const out = await runToy({
      logger: { interval: 4, interval_exp_name: 4 },
      overrides: { train_cfg: { by_epoch: false, max_iters: 12, val_interval: 100 }, log_processor: { by_epoch: false } },
    });
    const seq = out.messages.filter((m) => m.startsWith('Exp name') || m.startsWith('Iter(train)')).map((m) => (m.startsWith('Exp') ? 'exp' : m.slice(0, 19)));
    expect(seq).toEqual(['exp', 'Iter(train) [ 4/12]', 'exp', 'exp', 'Iter(train) [ 8/12]', 'exp', 'Iter(train) [12/12]']);
    expect(grep(out.messages, /LoggerHook interval/)).toEqual([]);
  });

  it('computes the interval check without a run', () => {
    expect(roundInterval(1)).toBe(1);
    expect(roundInterval(234)).toBe(200);
    expect(roundInterval(7)).toBe(5);
    expect(intervalWarning(10, true, { byEpoch: true, epochLength: 10, maxIters: 100 })).toBeUndefined();
    expect(intervalWarning(10, true, { byEpoch: false, epochLength: 5, maxIters: 100 })).toBeUndefined();
    expect(intervalWarning(50, true, { byEpoch: false, epochLength: 5, maxIters: 12 })).toMatch(/only iteration 5 \(where the dataloader ends\) is logged/);
    expect(intervalWarning(50, true, { byEpoch: true, epochLength: 1, maxIters: 3 })).toMatch(/interval to 1 \(anything up to 1\)/);
  });
});

describe('options', () => {
  const build = (cfg: Record<string, unknown>) => HOOKS.build({ type: 'LoggerHook', ...cfg }, {}, 'default_hooks.logger');

  it("has MMEngine's defaults and builds from the registry", () => {
    const hook = build({}) as LoggerHook;
    expect(hook).toBeInstanceOf(LoggerHook);
    expect(hook).toMatchObject({
      interval: 10,
      ignoreLast: true,
      intervalExpName: 1000,
      outDir: undefined,
      keepLocal: true,
      logMetricByEpoch: undefined,
      progress: true,
    });
    expect(hook.outSuffix).toEqual(['.json', '.log', '.py', 'yaml']);
    expect(hook.priority).toBe('BELOW_NORMAL');
    expect(new LoggerHook({ out_suffix: '.log' }).outSuffix).toEqual(['.log']);
  });

  it('rejects bad values with the config path and a fix', () => {
    expect(() => build({ interval: 0 })).toThrow(/default_hooks\.logger\.interval[\s\S]*>= 1|default_hooks\.logger\.interval[\s\S]*> 0/);
    expect(() => build({ interval: 2.5 })).toThrow(ConfigError);
    expect(() => build({ interval: '10' })).toThrow(/default_hooks\.logger\.interval/);
    expect(() => build({ intervall: 5 })).toThrow(/unknown option "intervall"[\s\S]*did you mean "interval"/i);
    expect(() => build({ ignore_last: 'yes' })).toThrow(/ignore_last/);
  });

  it('accepts local storage arguments only, with out_dir, and not both names at once', () => {
    expect(() => build({ backend_args: { backend: 'petrel' }, out_dir: '/tmp/x' })).toThrow(/local filesystem only[\s\S]*fix: remove backend_args/);
    expect(() => build({ file_client_args: { backend: 'local' } })).toThrow(/file_client_args only applies to out_dir/);
    expect(() => build({ file_client_args: {}, backend_args: {}, out_dir: '/tmp/x' })).toThrow(/cannot be set at the same time/);
    expect(build({ backend_args: { backend: 'local' }, out_dir: '/tmp/x' })).toBeInstanceOf(LoggerHook);
    expect(build({ backend_args: null, file_client_args: null })).toBeInstanceOf(LoggerHook);
  });

  it('types its options in TS configs', () => {
    const ok: HookConfig = { type: 'LoggerHook', interval: 5, out_suffix: ['.log'], progress: false };
    // @ts-expect-error interval is a number
    const bad: HookConfig = { type: 'LoggerHook', interval: '5' };
    expect([ok, bad]).toHaveLength(2);
  });
});

describe('out_dir', () => {
  it('copies the logs to <out_dir>/<work_dir name> and keeps the local files', async () => {
    const outDir = tempDir('trainkit-out-');
    const out = await runToy({ logger: { out_dir: outDir } });
    const target = path.join(outDir, path.basename(out.workDir));
    expect(out.messages).toContain(`Text logs will be saved to ${target} after the training process.`);
    const copied = fs.readdirSync(target, { recursive: true }).map(String).sort();
    expect(copied).toEqual([`${out.ts}.log`, 'vis_data', `vis_data/${out.ts}.json`, 'vis_data/config.json', 'vis_data/scalars.json']);
    // the copied text log is complete: it holds the lines about the other copies
    const copiedLog = fs.readFileSync(path.join(target, `${out.ts}.log`), 'utf8');
    expect(copiedLog).toContain(`vis_data/scalars.json has been uploaded to ${path.join(target, 'vis_data', 'scalars.json')}.`);
    expect(copiedLog).toContain(`${out.ts}.log has been uploaded to`);
    expect(fs.readFileSync(path.join(target, 'vis_data', 'scalars.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(out.runner.logDir, 'vis_data', 'scalars.json'), 'utf8'),
    );
    expect(fs.existsSync(path.join(out.runner.logDir, `${out.ts}.log`))).toBe(true);
  });

  it('removes the local copies with keep_local false, and copies only out_suffix files', async () => {
    const outDir = tempDir('trainkit-out-');
    const workDir = tempDir('trainkit-wd-');
    const out = await runToy({ logger: { out_dir: outDir, keep_local: false, out_suffix: ['.log', 'scalars.json'] }, overrides: { work_dir: workDir } });
    const target = path.join(outDir, path.basename(workDir));
    expect(fs.readdirSync(target, { recursive: true }).map(String).sort()).toEqual([`${out.ts}.log`, 'vis_data', 'vis_data/scalars.json']);
    expect(fs.existsSync(path.join(out.runner.logDir, `${out.ts}.log`))).toBe(false);
    expect(fs.existsSync(path.join(out.runner.logDir, 'vis_data', 'scalars.json'))).toBe(false);
    // files that were not copied stay
    expect(fs.existsSync(path.join(out.runner.logDir, 'vis_data', `${out.ts}.json`))).toBe(true);
    expect(fs.readFileSync(path.join(target, `${out.ts}.log`), 'utf8')).toMatch(/will be removed because keep_local is false/);
  });
});

describe('visualizer and log level', () => {
  it('hands every terminal line to backends that keep terminal output, earlier lines included', async () => {
    const lines: string[] = [];
    const keeper: VisBackend = { name: 'keeper', addLogLine: (l) => lines.push(l) };
    const out = await runToy({ overrides: { visualizer: { vis_backends: [{ type: 'LocalVisBackend' }, keeper] } } });
    expect(lines.some((l) => l.includes('Hooks will be executed in the following order:'))).toBe(true);
    const train = grep(out.messages, /^Epoch\(train\)/);
    for (const t of train) expect(lines.some((l) => l.endsWith(t))).toBe(true);
    expect(lines.join('\n')).not.toContain('\x1b[');
  });

  it('honours log_level: no INFO lines at WARNING, while the JSON logs are still written', async () => {
    const out = await runToy({ logger: { interval: 50 }, overrides: { log_level: 'WARNING' } });
    expect(out.fileLines.filter(Boolean).every((l) => / - (WARNING|ERROR) - /.test(l) || !/ - [A-Z]+ - /.test(l))).toBe(true);
    expect(grep(out.messages, /LoggerHook interval 50/)).toHaveLength(1);
    expect(out.json.filter((j) => 'loss' in j)).toHaveLength(2);
  });
});

describe('a failing run', () => {
  it('stops the bar, restores the console and closes the visualizer; a backend failing on lines is cut off', async () => {
    class Boom extends Hook {
      override afterTrainIter(runner: Runner): void {
        if (runner.iter === 6) throw new Error('boom');
      }
    }
    const term = new FakeTerminal();
    const kept: string[] = [];
    const failing: VisBackend = {
      name: 'failing',
      addLogLine: () => {
        throw new Error('disk full');
      },
    };
    const keeper: VisBackend = { name: 'keeper', addLogLine: (l) => kept.push(l), close: () => void kept.push('<closed>') };
    const cfg = toyConfig(tempDir('trainkit-logger-'), {
      log_level: 'INFO',
      default_hooks: { logger: { type: 'LoggerHook', interval: 1 }, checkpoint: null, param_scheduler: null },
      custom_hooks: [new Boom()],
      visualizer: { vis_backends: [{ type: 'LocalVisBackend' }, failing, keeper] },
    });
    const runner = await createRunner(cfg);
    (runner.hooks.find((h) => h instanceof LoggerHook) as LoggerHook).progressStream = term;
    const ours = (line: string) => term.println(line);
    runner.logger.setConsole(ours);
    await expect(runner.train()).rejects.toThrow(/boom/);
    expect(runner.logger.setConsole(() => {})).toBe(ours);
    expect(term.screen().some((l) => l.includes('[='))).toBe(false);
    expect(term.screen().filter((l) => l.includes('vis backend failing failed to keep a log line'))).toHaveLength(1);
    expect(kept.at(-1)).toBe('<closed>');
    const ts = path.basename(runner.logDir);
    const json = readJsonLines(path.join(runner.logDir, 'vis_data', `${ts}.json`));
    // train steps 1-6 and the validation after epoch 1; Boom (NORMAL) threw before the logger saw iteration 7
    expect(json.map((j) => j.step)).toEqual([1, 2, 3, 4, 5, 1, 6]);
    await runner.dispose();
  });
});
