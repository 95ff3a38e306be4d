import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConfigObject, Hook, type Runner, createRunner } from '@trainkit/core';
import { tempDir, toyConfig } from '@trainkit/core/testing';
import '../src/index.js';

/** What a run left behind, read back from its files. */
export interface RunOutput {
  runner: Runner;
  workDir: string;
  ts: string;
  /** Messages of the text log (the `date time - trainkit - LEVEL - ` prefix removed). */
  messages: string[];
  /** The same, as printed on the console. */
  consoleMessages: string[];
  /** Full lines of the text log. */
  fileLines: string[];
  /** `vis_data/<ts>.json` and `vis_data/scalars.json`, parsed line by line. */
  json: Array<Record<string, unknown>>;
  scalars: Array<Record<string, unknown>>;
  result: unknown;
}

const FILE_PREFIX = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d - trainkit - [A-Z]+ - /;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the level may be coloured
const CONSOLE_PREFIX = /^\d\d\/\d\d \d\d:\d\d:\d\d - trainkit - (?:\x1b\[\d+m)?[A-Z]+(?:\x1b\[0m)? - /;

/** Reads a JSON-lines file; every line must parse. */
export function readJsonLines(file: string): Array<Record<string, unknown>> {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  if (text && !text.endsWith('\n')) throw new Error(`${file} does not end with a newline`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Only the first line of each message: multi-line ones (the config dump) are cut to it. */
function messagesOf(lines: string[], prefix: RegExp): string[] {
  return lines.filter((l) => prefix.test(l)).map((l) => l.replace(prefix, ''));
}

/**
 * A toy run (MMEngine's seed setup) with the LoggerHook at interval 2 and no checkpoint or
 * scheduler hooks. `logger` options merge into the hook config; `overrides` into the config.
 */
export async function runToy(
  opts: { logger?: Record<string, unknown>; overrides?: ConfigObject; hooks?: Hook[]; mode?: 'train' | 'val' | 'test'; before?: (r: Runner) => void } = {},
): Promise<RunOutput> {
  const workDir = tempDir('trainkit-logger-');
  const cfg = toyConfig(workDir, {
    log_level: 'INFO',
    default_hooks: { logger: { type: 'LoggerHook', interval: 2, ...opts.logger }, checkpoint: null, param_scheduler: null },
    custom_hooks: opts.hooks ?? [],
    ...opts.overrides,
  });
  const printed: string[] = [];
  const write = process.stdout.write;
  // the console lines are part of what is checked; keep them off the test output
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  let runner!: Runner;
  let result: unknown;
  try {
    runner = await createRunner(cfg);
    opts.before?.(runner);
    const mode = opts.mode ?? 'train';
    result = mode === 'train' ? await runner.train() : mode === 'val' ? await runner.val() : await runner.test();
    await runner.dispose();
  } finally {
    process.stdout.write = write;
  }
  const ts = path.basename(runner.logDir);
  const logFile = path.join(runner.logDir, `${ts}.log`);
  // keep_local: false removes it
  const fileLines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  return {
    runner,
    workDir,
    ts,
    fileLines,
    messages: messagesOf(fileLines, FILE_PREFIX),
    consoleMessages: messagesOf(printed.join('').split('\n'), CONSOLE_PREFIX),
    json: readJsonLines(path.join(runner.logDir, 'vis_data', `${ts}.json`)),
    scalars: readJsonLines(path.join(runner.logDir, 'vis_data', 'scalars.json')),
    result,
  };
}

/** LinearLR(start_factor=0.1, by_epoch=False, end=3) on the toy SGD, stepped where ParamSchedulerHook steps. */
export class LinearLrForTest extends Hook {
  override priority = 'LOW' as const;
  constructor(
    readonly base = 0.1,
    readonly factors = [0.1, 0.55, 1],
  ) {
    super();
  }
  private set(runner: Runner, step: number): void {
    runner.optimWrapper!.paramGroups[0].lr = this.base * this.factors[Math.min(step, this.factors.length - 1)];
  }
  override beforeTrain(runner: Runner): void {
    this.set(runner, runner.iter);
  }
  override afterTrainIter(runner: Runner): void {
    this.set(runner, runner.iter + 1);
  }
}

/** Records `train/grad_norm` where an optimizer wrapper with clip_grad would (after the lr). */
export class GradNormForTest extends Hook {
  override priority = 'HIGH' as const;
  override beforeTrainIter(runner: Runner): void {
    runner.messageHub.updateScalar('train/grad_norm', 6.4485);
  }
}

/** Messages matching `re`. */
export const grep = (messages: string[], re: RegExp) => messages.filter((m) => re.test(m));
