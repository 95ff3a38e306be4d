import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WandbVisBackend } from '../src/index.js';
import { tempDir } from './support/env.js';

const SYNC = pathToFileURL(path.join(import.meta.dirname, '../dist/cli/wandb-sync.js')).href;

/** `trainkit wandb-sync` in its own process, as the CLI runs it: the exit code is what Node exits with. */
function syncProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const m = await import(${JSON.stringify(SYNC)}); process.exitCode = await m.run(process.argv.slice(1));`, ...args],
    {
      env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('wandb-sync failures always say what failed', () => {
  it('a server nobody listens on: a message and exit 1 (not exit 13 with no output)', { timeout: 120_000 }, async () => {
    const workDir = tempDir();
    const backend = new WandbVisBackend({ save_dir: path.join(workDir, 'vis_data'), init_kwargs: { mode: 'offline', project: 'p' } });
    await backend.start();
    backend.addScalars({ loss: 1 }, 0);
    await backend.close();
    const r = await syncProcess([workDir], {
      WANDB_API_KEY: 'a'.repeat(40),
      WANDB_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wandb-sync: cannot reach the W&B server http:\/\/127\.0\.0\.1:9/);
    expect(r.stderr).toContain('--base-url');
  });

  it('no API key: a message and exit 1', async () => {
    const workDir = tempDir();
    const backend = new WandbVisBackend({ save_dir: path.join(workDir, 'vis_data'), init_kwargs: { mode: 'offline', project: 'p' } });
    await backend.start();
    await backend.close();
    const r = await syncProcess([workDir], { WANDB_BASE_URL: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no W&B API key/);
  });
});
