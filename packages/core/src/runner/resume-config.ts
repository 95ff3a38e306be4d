import type { ConfigObject } from '../config/merge.js';
import { ConfigError } from '../errors.js';

/**
 * `resume` and `load_from` as MMEngine reads them, plus `resume: 'auto'` (what tools/train.py's
 * `--resume` means) and a path in `resume`. MMCV's `resume_from` is refused with its replacement
 * rather than ignored (a run that silently starts from scratch wastes the whole run).
 */
export function checkResumeConfig(c: ConfigObject): void {
  if (c.resume_from !== undefined) {
    const where = typeof c.resume_from === 'string' ? `'${c.resume_from}'` : "'<checkpoint>'";
    throw new ConfigError('resume_from is the MMCV 0.x key; MMEngine resumes with load_from and resume', {
      path: 'resume_from',
      found: c.resume_from,
      fix: `write load_from: ${where} and resume: true (or resume: 'auto' for the latest checkpoint in work_dir)`,
    });
  }
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
