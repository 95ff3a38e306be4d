import type { ConfigObject } from '../config/merge.js';
import { ConfigError } from '../errors.js';

/**
 * `resume` and `load_from` as MMEngine reads them, plus `resume: 'auto'` (what tools/train.py's
 * `--resume` means) and a path in `resume`. (MMCV's `resume_from` is refused with the other 0.x
 * keys, in config/legacy-keys.ts.)
 */
export function checkResumeConfig(c: ConfigObject): void {
  const resume = c.resume;
  if (resume !== undefined && resume !== null && typeof resume !== 'boolean' && typeof resume !== 'string') {
    throw new ConfigError('resume must be true, false, a checkpoint path, or "auto"', { path: 'resume', found: resume });
  }
  if (resume === 'auto' && typeof c.load_from === 'string' && c.load_from !== '') {
    throw new ConfigError(`resume: 'auto' resumes from the latest checkpoint in work_dir, but load_from names another one`, {
      path: 'resume',
      found: { resume, load_from: c.load_from },
      fix: 'remove load_from to auto-resume, or write resume: true to resume from load_from',
    });
  }
}
