import { describe, expect, it } from 'vitest';
import { run as wandbSync } from '../src/cli/wandb-sync.js';
import { WandbVisBackend } from '../src/index.js';
import { API_KEY, tempDir } from './support/env.js';
import { parseLenientJson } from './support/lenient-json.js';
import { useStandin } from './support/standin-suite.js';
import type { Fault, StandinState } from './support/wandb-standin.js';

const standin = useStandin({ env: { WANDB_PROJECT: 'faults', WANDB_X_FILE_STREAM_TIMEOUT_SECONDS: '0.3' } });

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Logs `n` rows in bursts with pauses, so the sender makes many requests while faults are on. */
async function logRows(backend: WandbVisBackend, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    backend.addScalars({ loss: 1 / (i + 1), i });
    if (i % 10 === 9) await tick(15);
  }
}

/** Every row exactly once, in order; the run finished once with exit code 0; nothing odd seen. */
function expectWholeRun(state: StandinState, runId: string, n: number): void {
  expect(state.violations).toEqual([]);
  const run = state.runs[`alice/faults/${runId}`];
  const history = run.files['wandb-history.jsonl'].map((l) => parseLenientJson(l) as Record<string, number>);
  expect(history.map((r) => r._step)).toEqual([...Array(n).keys()]);
  const scalars = history.filter((r) => 'i' in r).map((r) => r.i);
  expect(scalars).toEqual([...Array(scalars.length).keys()]);
  expect(scalars.length).toBeGreaterThanOrEqual(n - 1);
  expect(run.completes).toBeGreaterThanOrEqual(1);
  expect(run.exitcode).toBe(0);
}

async function runWithFaults(faults: Fault[], n = 120): Promise<StandinState & { runId: string }> {
  const backend = new WandbVisBackend({ save_dir: tempDir() });
  await backend.start();
  await standin.faults(faults);
  await logRows(backend, n);
  const image = { data: new Uint8Array(12).fill(7), width: 2, height: 2, channels: 3 as const };
  backend.addImage('img', image, 0);
  await backend.close();
  const state = await standin.state();
  return { ...state, runId: backend.runId as string };
}

describe('faults lose no row and duplicate none', () => {
  it('500s on file_stream for a while', async () => {
    const s = await runWithFaults([{ target: 'file_stream', kind: 'status', status: 500, forMs: 250 }]);
    expectWholeRun(s, s.runId, 121);
    expect(s.requests.some((r) => r.status === 500)).toBe(true);
  });

  it('429 with Retry-After, rate-limit headers, and 502/503 on every endpoint', async () => {
    const s = await runWithFaults([
      { target: 'file_stream', kind: 'status', status: 429, retryAfter: '0.05', count: 4 },
      { target: 'file_stream', kind: 'status', status: 429, headers: { 'RateLimit-Remaining': '0', 'RateLimit-Reset': '0.05' }, count: 2 },
      { target: 'graphql', op: 'CreateRunFiles', kind: 'status', status: 503, count: 2 },
      { target: 'upload', kind: 'status', status: 502, count: 2 },
    ]);
    expectWholeRun(s, s.runId, 121);
    expect(s.requests.filter((r) => r.status === 429)).toHaveLength(6);
    expect(s.uploads.find((u) => u.name.startsWith('media/images/img_120_'))).toBeDefined();
  });

  it('timeouts: the server handles requests but the answers never come', async () => {
    const s = await runWithFaults([{ target: 'file_stream', kind: 'hang', afterProcessing: true, count: 2 }], 60);
    expectWholeRun(s, s.runId, 61);
    expect(s.requests.filter((r) => r.status === 'hung')).toHaveLength(2);
  });

  it('dropped connections, before and after the server handled the request', async () => {
    const s = await runWithFaults(
      [
        { target: 'file_stream', kind: 'drop', count: 3 },
        { target: 'file_stream', kind: 'drop', afterProcessing: true, count: 3 },
        { target: 'upload', kind: 'drop', count: 1 },
      ],
      80,
    );
    expectWholeRun(s, s.runId, 81);
    expect(s.requests.filter((r) => r.status === 'dropped')).toHaveLength(7);
  });

  it('a server that is down at start: the run goes on and everything arrives once it is back', async () => {
    await standin.faults([{ target: 'any', kind: 'drop', forMs: 400 }]);
    standin.setEnv({ WANDB_API_KEY: API_KEY, WANDB_BASE_URL: standin.url, WANDB_PROJECT: 'faults', WANDB_INIT_TIMEOUT: '0.2' });
    const backend = new WandbVisBackend({ save_dir: tempDir() });
    await backend.start();
    await logRows(backend, 50);
    await tick(300);
    await backend.close();
    const state = await standin.state();
    expectWholeRun(state, backend.runId as string, 50);
  });

  it('a server that stays down: close reports what is left; wandb-sync sends it later, without duplicates', async () => {
    const backend = new WandbVisBackend({ save_dir: tempDir(), close_timeout: 0.3 });
    await backend.start();
    await logRows(backend, 30);
    await backend.flush();
    await standin.faults([{ target: 'any', kind: 'status', status: 503 }]);
    await logRows(backend, 40, 30);
    await backend.close();
    const report = backend.lastReport;
    expect(report?.complete).toBe(false);
    expect(report?.historyRows).toBe(70);
    expect(report?.historyLeft).toBeGreaterThanOrEqual(40);
    expect(report?.lastFailure).toMatch(/503/);

    await standin.faults([]);
    const out: string[] = [];
    const code = await wandbSync([backend.paths?.dir as string], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^synced .*70 history rows/m);
    expectWholeRun(await standin.state(), backend.runId as string, 70);
  });

  it('start-up retries (500 on Viewer, 409 on UpsertBucket); a 200 with GraphQL errors is not retried', async () => {
    await standin.faults([
      { target: 'graphql', op: 'Viewer', kind: 'status', status: 500, count: 1 },
      { target: 'graphql', op: 'UpsertBucket', kind: 'status', status: 409, count: 2 },
      { target: 'graphql', op: 'CreateRunFiles', kind: 'errors', count: 1 },
    ]);
    const backend = new WandbVisBackend({ save_dir: tempDir() });
    await backend.start();
    await logRows(backend, 20);
    backend.addImage('img', { data: new Uint8Array(12).fill(3), width: 2, height: 2, channels: 3 }, 0);
    await backend.close();
    const state = await standin.state();
    expectWholeRun(state, backend.runId as string, 21);
    expect(state.requests.filter((r) => r.op === 'UpsertBucket' && r.status === 409)).toHaveLength(2);
    // the refused upload is not repeated; the run still finishes and the report names the file
    expect(state.requests.filter((r) => r.op === 'CreateRunFiles').length).toBeGreaterThanOrEqual(2);
    expect(backend.lastReport?.complete).toBe(true);
    expect(backend.lastReport?.filesLeft).toEqual([expect.stringMatching(/^media\/images\/img_20_/)]);
  });
});
