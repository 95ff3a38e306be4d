import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SafetensorsCheckpoint } from '../src/index.js';
import { checkpointFiles, tempDir, trainToy } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// tsx is a dependency of core: resolve it from there
const corePackage = createRequire(import.meta.url).resolve('@trainkit/core/package.json');
const tsx = pathToFileURL(createRequire(corePackage).resolve('tsx')).href;

/** Starts the child and SIGKILLs it as soon as the temporary file of the `nth` save appears. */
function killDuringSave(workDir: string, nth: number): Promise<{ killedMidWrite: boolean }> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess | undefined;
    const seen = new Set<string>();
    let killedMidWrite = false;
    const watcher = fs.watch(workDir, (_event, name) => {
      if (!name || !/^\.iter_\d+\.safetensors\.tmp-/.test(name) || !fs.existsSync(path.join(workDir, name))) return;
      seen.add(name);
      if (seen.size < nth || killedMidWrite) return;
      killedMidWrite = true;
      child?.kill('SIGKILL');
    });
    child = spawn(process.execPath, ['--conditions=@trainkit/source', '--import', tsx, path.join(here, 'child', 'train-and-save.ts'), workDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: path.join(here, '..'),
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => {
      watcher.close();
      if (signal === 'SIGKILL') resolve({ killedMidWrite });
      else reject(new Error(`the child ended on its own (code ${code}) before it was killed:\n${stderr}`));
    });
  });
}

describe('kill during save', () => {
  it('SIGKILL in the middle of a write leaves last_checkpoint naming a complete, loadable file', async () => {
    const wd = tempDir();
    const { killedMidWrite } = await killDuringSave(wd, 3);
    expect(killedMidWrite).toBe(true);
    const leftovers = fs.readdirSync(wd).filter((f) => f.includes('.tmp-'));
    expect(leftovers.length).toBeLessThanOrEqual(1);
    const named = path.resolve(wd, fs.readFileSync(path.join(wd, 'last_checkpoint'), 'utf8'));
    const format = new SafetensorsCheckpoint();
    await expect(format.verify(named)).resolves.toBe(true);
    // every checkpoint file that exists is complete: a partial write never took a final name
    for (const f of checkpointFiles(wd)) await expect(format.verify(path.join(wd, f))).resolves.toBe(true);

    // the next run resumes from it and clears the half-written leftover
    const { log } = await trainToy(wd, {
      train_cfg: { type: 'IterBasedTrainLoop', max_iters: 4, val_interval: 100 },
      resume: true,
      val_dataloader: null,
      val_cfg: null,
      val_evaluator: null,
    });
    expect(log).toContain(`Auto resumed from the latest checkpoint ${named}.`);
    expect(fs.readdirSync(wd).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
