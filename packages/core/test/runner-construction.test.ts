import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hook, Runner, createRunner, getLogger } from '../src/index.js';
import { currentDefaultScope } from '../src/registry/default-scope.js';
import { createLogDir, planLogDir } from '../src/runner/run-folder.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

/** What a run sees of the globals while it goes on. */
class GlobalsProbe extends Hook {
  seen: Array<{ scope: string | undefined; logger: unknown }> = [];
  override beforeRun(): void {
    this.seen.push({ scope: currentDefaultScope(), logger: getLogger() });
  }
}

const files = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : []);

describe('a Runner without side effects at construction', () => {
  it('leaves the file system, the current logger and the default scope untouched until a run starts', async () => {
    const root = tempDir();
    const workDir = path.join(root, 'work_dir');
    const loggerBefore = getLogger();
    const scopeBefore = currentDefaultScope();
    const runner = await createRunner(toyConfig(workDir, { default_scope: 'probe_scope', log_level: 'INFO' }));
    const code = new Runner(toyConfig(workDir, { default_scope: 'probe_scope' }));
    expect(fs.existsSync(workDir)).toBe(false);
    expect(files(root)).toEqual([]);
    expect(getLogger()).toBe(loggerBefore);
    expect(currentDefaultScope()).toBe(scopeBefore);
    expect(runner.logger.file).toBeUndefined();
    // two runners built in the same second plan different run folders without making either
    expect(code.logDir).not.toBe(runner.logDir);

    const probe = new GlobalsProbe();
    runner.registerHook(probe);
    await runner.val();
    // during the run: its scope and its logger; after it: what was there before
    expect(probe.seen).toEqual([{ scope: 'probe_scope', logger: runner.logger }]);
    expect(getLogger()).toBe(loggerBefore);
    expect(currentDefaultScope()).toBe(scopeBefore);
    // the run made the folder, the log (beginning with what was logged while building) and the config dump
    expect(fs.existsSync(runner.logDir)).toBe(true);
    expect(runner.logger.file).toBe(path.join(runner.logDir, `${path.basename(runner.logDir)}.log`));
    const log = fs.readFileSync(runner.logger.file!, 'utf8');
    expect(log).toContain('System environment:');
    expect(log).toContain('Hooks will be executed in the following order:');
    expect(fs.existsSync(path.join(workDir, `${path.basename(runner.logDir)}.json`))).toBe(true);
    expect(fs.existsSync(code.logDir)).toBe(false);
    await runner.dispose();
    await code.dispose();
    expect(fs.existsSync(code.logDir)).toBe(false);
  });

  it('two runners built one after the other keep their own scope and logger, and each logs to its own file', async () => {
    const loggerBefore = getLogger();
    const a = await createRunner(toyConfig(tempDir(), { default_scope: 'scope_a', log_level: 'INFO' }));
    const b = await createRunner(toyConfig(tempDir(), { default_scope: 'scope_b', log_level: 'INFO' }));
    const probeA = new GlobalsProbe();
    const probeB = new GlobalsProbe();
    a.registerHook(probeA);
    b.registerHook(probeB);
    await b.val();
    await a.val();
    await b.val();
    expect(probeA.seen).toEqual([{ scope: 'scope_a', logger: a.logger }]);
    expect(probeB.seen).toEqual([
      { scope: 'scope_b', logger: b.logger },
      { scope: 'scope_b', logger: b.logger },
    ]);
    a.logger.info('a line of run A');
    b.logger.info('a line of run B');
    expect(fs.readFileSync(a.logger.file!, 'utf8')).not.toContain('a line of run B');
    expect(fs.readFileSync(b.logger.file!, 'utf8')).not.toContain('a line of run A');
    await a.dispose();
    await b.dispose();
    expect(getLogger()).toBe(loggerBefore);
    expect(currentDefaultScope()).toBeUndefined();
  });

  it('a runner that fails to build leaves nothing behind and the globals as they were', async () => {
    const root = tempDir();
    const loggerBefore = getLogger();
    expect(() => new Runner(toyConfig(path.join(root, 'wd'), { default_scope: 'broken', model: { type: 'NoSuchModel' } }))).toThrow(/NoSuchModel/);
    expect(files(root)).toEqual([]);
    expect(getLogger()).toBe(loggerBefore);
    expect(currentDefaultScope()).toBeUndefined();
  });
});

describe('the run folder, planned at construction and made when the run starts', () => {
  it('is refused when another run took the name meanwhile (its log is there), never shared', () => {
    const workDir = tempDir();
    const planned = planLogDir(workDir, '20260101_000000');
    expect(planLogDir(workDir, '20260101_000000')).toBe(`${planned}_1`);
    // another process made the folder and opened its log between this runner's build and its start
    fs.mkdirSync(planned);
    fs.writeFileSync(path.join(planned, '20260101_000000.log'), '');
    expect(() => createLogDir(planned)).toThrow(/was taken by another run after this runner was built/);
    // a folder a part of this run prepared (a vis backend's files) is this run's
    const own = `${planned}_1`;
    fs.mkdirSync(path.join(own, 'vis_data'), { recursive: true });
    createLogDir(own);
    expect(fs.existsSync(own)).toBe(true);
  });
});
