import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainkitError, VisBackendStartError, Visualizer } from '@trainkit/core';
import { describe, expect, it } from 'vitest';
import { WandbVisBackend } from '../src/index.js';
import { API_KEY, tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { useStandin } from './support/standin-suite.js';

const standin = useStandin();

function env(vars: Record<string, string | undefined>): void {
  standin.setEnv({ WANDB_BASE_URL: standin.url, ...vars });
}

/** Starting the backend the way a run does: built by the Visualizer, started by its awaited start(). */
async function startRun(saveDir: string, backendCfg: Record<string, unknown> = {}): Promise<Visualizer> {
  const vis = new Visualizer({ vis_backends: [{ type: 'WandbVisBackend', ...backendCfg }], save_dir: saveDir });
  await vis.start();
  return vis;
}

describe('the start of an online run', () => {
  it('a wrong API key stops the run at start with a clear message', async () => {
    env({ WANDB_API_KEY: 'x'.repeat(40) });
    const saveDir = tempDir();
    const error = await startRun(saveDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VisBackendStartError);
    expect(error).toBeInstanceOf(TrainkitError);
    expect((error as Error).message).toMatch(
      /^visualizer\.vis_backends: WandbVisBackend could not start: W&B refused the API key from WANDB_API_KEY .*HTTP 401/,
    );
    expect((error as Error).message).toMatch(/fix: .*wandb login/);
    // nothing was created for a run that never started
    expect(fs.existsSync(path.join(saveDir, 'vis_data', 'wandb'))).toBe(false);
    const state = await standin.state();
    expect(state.requests.map((r) => r.op)).toEqual(['Viewer']);
  });

  it('a missing or malformed key fails before any request', async () => {
    // found when the backend is built (a run's construction), before anything is sent
    env({ WANDB_API_KEY: undefined });
    await expect(startRun(tempDir())).rejects.toThrow(/needs an API key, and none was found[\s\S]*fix: set WANDB_API_KEY, run `wandb login`/);
    env({ WANDB_API_KEY: 'short-key' });
    await expect(startRun(tempDir())).rejects.toThrow(/API key from WANDB_API_KEY is malformed/);
    expect((await standin.state()).requests).toEqual([]);
  });

  it('start() resolves once the run exists on the server; a write before start is refused clearly', async () => {
    const backend = new WandbVisBackend({ save_dir: tempDir(), init_kwargs: { project: 'early' } });
    expect(() => backend.addScalars({ a: 1 })).toThrow(/WandbVisBackend\.addScalars was called before the backend started\n {2}fix: await backend\.start\(\)/);
    // building the backend sent nothing and made no folder
    expect((await standin.state()).requests).toEqual([]);
    expect(backend.paths).toBeUndefined();
    await backend.start();
    const ops = (await standin.state()).requests.map((r) => r.op);
    expect(ops.slice(0, 3)).toEqual(['Viewer', 'ServerFeaturesQuery', 'UpsertBucket']);
    expect(fs.existsSync(backend.paths?.logFile as string)).toBe(true);
    // start is idempotent: a second call does not create a second run
    await backend.start();
    backend.addScalars({ a: 1 });
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    expect(state.requests.filter((r) => r.op === 'UpsertBucket').length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(state.runs)).toEqual([`alice/early/${backend.runId}`]);
    expect(state.runs[`alice/early/${backend.runId}`].completes).toBe(1);
  });

  it('finds the key `wandb login` stored in the netrc file for the API host', async () => {
    const home = tempDir();
    const netrc = path.join(home, '.netrc');
    fs.writeFileSync(netrc, `machine api.wandb.ai\n  login user\n  password ${'z'.repeat(40)}\nmachine 127.0.0.1\n  login user\n  password ${API_KEY}\n`);
    env({ WANDB_API_KEY: undefined, NETRC: netrc });
    const backend = new WandbVisBackend({ save_dir: tempDir(), init_kwargs: { project: 'netrc' } });
    await backend.start();
    expect(backend.settings.apiKeySource).toContain(netrc);
    backend.addScalars({ a: 1 });
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    expect(state.runs[`alice/netrc/${backend.runId}`].completes).toBe(1);
  });

  it('resume "must" of an unknown run and "never" of an existing one stop at start', async () => {
    await standin.preload({
      entity: 'alice',
      project: 'res',
      name: 'oldrun01',
      config: { _wandb: { value: { t: {} } } },
      history: ['{"_step":0}'],
      summary: '{}',
    });
    await expect(startRun(tempDir(), { init_kwargs: { project: 'res', id: 'newrun01', resume: 'must' } })).rejects.toThrow(
      /does not exist, and resume is "must"/,
    );
    await expect(startRun(tempDir(), { init_kwargs: { project: 'res', id: 'oldrun01', resume: 'never' } })).rejects.toThrow(
      /already exists, and resume is "never"/,
    );
  });

  it('resume "allow" continues a run: steps, history offset, console offset, old config and summary', async () => {
    await standin.preload({
      entity: 'alice',
      project: 'res',
      name: 'oldrun02',
      config: { old_key: { value: 1 }, _wandb: { value: { t: {} } } },
      history: ['{"_step":0,"loss":3,"_runtime":1.5}', '{"_step":1,"loss":2,"_runtime":2.5}', '{"_step":2,"loss":1,"_runtime":3.5}'],
      output: ['2026-01-01T00:00:00.000000 old line'],
      summary: '{"_step":2,"loss":1,"best":0.9,"_runtime":3.5}',
    });
    const backend = new WandbVisBackend({ save_dir: tempDir(), init_kwargs: { project: 'res', id: 'oldrun02', resume: 'allow', config: { new_key: 2 } } });
    await backend.start();
    backend.addScalars({ loss: 0.5 });
    backend.addScalars({ loss: 0.25 });
    backend.addLogLine('new line');
    await backend.close();
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const run = state.runs['alice/res/oldrun02'];
    const history = run.files['wandb-history.jsonl'].map((l) => parseLenientJson(l) as Record<string, number>);
    expect(history.map((r) => r._step)).toEqual([0, 1, 2, 3, 4]);
    expect(history[3]._runtime).toBeGreaterThanOrEqual(3.5);
    expect(run.files['output.log']).toHaveLength(2);
    expect(run.files['output.log'][1]).toMatch(/ new line$/);
    expect(run.config).toMatchObject({ old_key: { value: 1 }, new_key: { value: 2 } });
    expect(parseLenientJson(run.files['wandb-summary.json'][0])).toMatchObject({ best: 0.9, loss: 0.25, _step: 4 });
  });

  it('resume "auto" keeps the run id in wandb-resume.json until the run finishes cleanly', async () => {
    const saveDir = tempDir();
    const first = new WandbVisBackend({ save_dir: saveDir, init_kwargs: { project: 'auto', resume: 'auto' } });
    await first.start();
    const resumeFile = path.join(saveDir, 'wandb', 'wandb-resume.json');
    expect(JSON.parse(fs.readFileSync(resumeFile, 'utf8'))).toEqual({ run_id: first.runId });
    first.addScalars({ a: 1 });
    first.setExitCode(1);
    await first.close();
    // the failed run is picked up again by the next start
    const second = new WandbVisBackend({ save_dir: saveDir, init_kwargs: { project: 'auto', resume: 'auto' } });
    await second.start();
    expect(second.runId).toBe(first.runId);
    second.addScalars({ a: 2 });
    await second.close();
    expect(fs.existsSync(resumeFile)).toBe(false);
    const state = await standin.state();
    expect(state.violations).toEqual([]);
    const run = state.runs[`alice/auto/${first.runId}`];
    expect(run.files['wandb-history.jsonl'].map((l) => (parseLenientJson(l) as { _step: number })._step)).toEqual([0, 1]);
    expect(run.exitcode).toBe(0);
  });
});
