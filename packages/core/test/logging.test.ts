import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, createRunner } from '../src/index.js';
import { tempDir, toyConfig } from '../src/testing/index.js';

describe('log_level and the shared logger', () => {
  it('writes file lines with the date and honours the level', () => {
    const file = path.join(tempDir(), 'x.log');
    const lines: string[] = [];
    const logger = new Logger('trainkit', 'WARNING');
    logger.setConsole((l) => lines.push(l));
    logger.attachFile(file);
    logger.info('hidden');
    logger.warn('shown');
    logger.closeFile();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d\/\d\d \d\d:\d\d:\d\d - trainkit - WARNING - shown$/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d - trainkit - WARNING - shown\n$/);
  });

  it('logs a drawn seed when none is configured, and only at INFO', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { randomness: {}, log_level: 'INFO' }));
    await runner.val(); // the log file opens when a run starts, with the lines logged while the runner was built
    const log = fs.readFileSync(runner.logger.file as string, 'utf8');
    expect(log).toContain(`seed: ${runner.seed}`);
    await runner.dispose();
    const quiet = await createRunner(toyConfig(tempDir(), { log_level: 'ERROR' }));
    await quiet.train();
    expect(fs.readFileSync(quiet.logger.file as string, 'utf8')).toBe('');
    await quiet.dispose();
  });

  it('takes CRITICAL (and its alias FATAL): only critical lines pass', async () => {
    const runner = await createRunner(toyConfig(tempDir(), { log_level: 'CRITICAL' }));
    expect(runner.logger.level).toBe('CRITICAL');
    runner.logger.error('an error line');
    runner.logger.critical('a critical line');
    await runner.val();
    const log = fs.readFileSync(runner.logger.file as string, 'utf8');
    expect(log).not.toContain('an error line');
    expect(log).toMatch(/ - trainkit - CRITICAL - a critical line\n$/);
    await runner.dispose();
    const fatal = await createRunner(toyConfig(tempDir(), { log_level: 'FATAL' as never }));
    expect(fatal.logger.level).toBe('CRITICAL');
    await fatal.dispose();
  });

  it('rejects an unknown log level with the choices', async () => {
    await expect(createRunner(toyConfig(tempDir(), { log_level: 'LOUD' }))).rejects.toThrow(
      /log_level: unknown log level[\s\S]*DEBUG, INFO, WARNING, ERROR, CRITICAL/,
    );
  });
});
