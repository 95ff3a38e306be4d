import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new run id like the SDK's: 8 characters of [a-z0-9]. */
export function generateRunId(): string {
  const bytes = crypto.randomBytes(8);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** `resume: 'auto'` remembers the run id in `<wandb dir>/wandb-resume.json` until a run finishes cleanly. */
export function resumeFile(wandbDir: string): string {
  return path.join(wandbDir, 'wandb-resume.json');
}

export function readResumeId(wandbDir: string): string | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(resumeFile(wandbDir), 'utf8')) as { run_id?: unknown };
    return typeof data.run_id === 'string' && data.run_id ? data.run_id : undefined;
  } catch {
    return undefined;
  }
}

export function writeResumeId(wandbDir: string, runId: string): void {
  fs.mkdirSync(wandbDir, { recursive: true });
  fs.writeFileSync(resumeFile(wandbDir), JSON.stringify({ run_id: runId }));
}

export function clearResumeId(wandbDir: string): void {
  fs.rmSync(resumeFile(wandbDir), { force: true });
}
