import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, runFolders, tempDir } from '../support/cli.js';

const plugin = path.join(REPO, 'examples/custom-hook-plugin');

/** The hooks listed under `after_train_iter:` in the hook order the run wrote to its text log. */
function afterTrainIterOrder(workDir: string): string[] {
  const [run] = runFolders(workDir);
  const log = fs.readFileSync(path.join(run, `${path.basename(run)}.log`), 'utf8');
  const block = log.split('after_train_iter:\n')[1]?.split(' --------------------')[0] ?? '';
  return block
    .trim()
    .split('\n')
    .map((line) => line.replace(/^\([^)]*\)\s*/, '').trim());
}

describe('a third-party hook package, from the CLI', () => {
  for (const config of ['iteration_alarm_custom_imports.ts', 'iteration_alarm_discovered.ts']) {
    it(`runs ${config} with the hook where its priority puts it`, async () => {
      const workDir = tempDir();
      const r = await runCli(['train', `configs/${config}`, '--work-dir', workDir], { cwd: plugin });
      expect(r.code).toBe(0);
      expect(afterTrainIterOrder(workDir)).toEqual(['RuntimeInfoHook', 'IterationAlarmHook', 'IterTimerHook']);
      expect(r.stdout).toContain('IterationAlarmHook: iteration 5:');
    });
  }

  it('moves the hook when the priority is overridden on the command line', async () => {
    const workDir = tempDir();
    const r = await runCli(['train', 'configs/iteration_alarm_discovered.ts', '--work-dir', workDir, '--cfg-options', 'custom_hooks.0.priority=LOWEST'], {
      cwd: plugin,
    });
    expect(r.code).toBe(0);
    expect(afterTrainIterOrder(workDir)).toEqual(['RuntimeInfoHook', 'IterTimerHook', 'IterationAlarmHook']);
  });
});
