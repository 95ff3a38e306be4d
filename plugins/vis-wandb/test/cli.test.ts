import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE, run as wandbSync } from '../src/cli/wandb-sync.js';
import { WandbVisBackend } from '../src/index.js';
import { tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { useStandin } from './support/standin-suite.js';

const standin = useStandin();

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await wandbSync(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

async function offlineRun(workDir: string, rows: number, exitCode = 0): Promise<WandbVisBackend> {
  const backend = new WandbVisBackend({
    save_dir: path.join(workDir, `${Math.random()}`.slice(2), 'vis_data'),
    init_kwargs: { mode: 'offline', project: 'offp', config: { lr: 0.1 } },
  });
  await backend.start();
  for (let i = 0; i < rows; i++) backend.addScalars({ loss: 1 / (i + 1), i });
  backend.addLogLine('offline line');
  backend.setExitCode(exitCode);
  await backend.close();
  return backend;
}

describe('trainkit wandb-sync', () => {
  it('usage: --help, no path, unknown options, missing paths', async () => {
    expect(await cli('--help')).toMatchObject({ code: 0, out: USAGE });
    expect((await cli()).code).toBe(2);
    const unknown = await cli('--frobnicate', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown option --frobnicate/);
    const missing = await cli(path.join(tempDir(), 'nope'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/no such file or folder/);
  });

  it('uploads every offline run under a work_dir, once; --include-synced sends again without duplicates', async () => {
    const workDir = tempDir();
    const a = await offlineRun(workDir, 12);
    const b = await offlineRun(workDir, 5, 2);
    const first = await cli(workDir, '--project', 'moved');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out.match(/^synced /gm)).toHaveLength(2);
    let state = await standin.state();
    expect(state.violations).toEqual([]);
    const runA = state.runs[`alice/moved/${a.runId}`];
    expect(runA.files['wandb-history.jsonl'].map((l) => (parseLenientJson(l) as { i: number }).i)).toEqual([...Array(12).keys()]);
    expect(runA.config?.lr).toEqual({ value: 0.1 });
    expect(runA.files['output.log'][0]).toMatch(/ offline line$/);
    expect(runA.exitcode).toBe(0);
    expect(state.runs[`alice/moved/${b.runId}`].exitcode).toBe(2);

    const again = await cli(workDir);
    expect(again.code).toBe(0);
    expect(again.out.match(/^skipped .*already synced/gm)).toHaveLength(2);

    const forced = await cli(a.paths?.dir as string, '--include-synced');
    expect(forced.code).toBe(0);
    state = await standin.state();
    expect(state.violations).toEqual([]);
    expect(state.runs[`alice/moved/${a.runId}`].files['wandb-history.jsonl']).toHaveLength(12);
  });

  it('a missing or refused key ends with exit code 1 and says why', async () => {
    const workDir = tempDir();
    const backend = await offlineRun(workDir, 1);
    standin.setEnv({ WANDB_BASE_URL: standin.url });
    const none = await cli(backend.paths?.dir as string);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no W&B API key: set WANDB_API_KEY or run `wandb login`/);
    standin.setEnv({ WANDB_BASE_URL: standin.url, WANDB_API_KEY: 'y'.repeat(40) });
    const refused = await cli(backend.paths?.dir as string);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refused the API key from WANDB_API_KEY/);
    expect(Object.keys((await standin.state()).runs)).toEqual([]);
  });
});
