import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A key of the shape W&B accepts (40 word characters). */
export const API_KEY = 'tk_standin_key_0123456789abcdefghijklmnopqrstuvwxyz';

/** Fast retries and flushing so fault tests take milliseconds, not minutes (W&B's own `WANDB_X_*` settings). */
export const FAST_NET = {
  WANDB_X_FILE_STREAM_TRANSMIT_INTERVAL: '0.05',
  WANDB_X_FILE_STREAM_RETRY_WAIT_MIN_SECONDS: '0.02',
  WANDB_X_FILE_STREAM_RETRY_WAIT_MAX_SECONDS: '0.1',
  WANDB_X_FILE_STREAM_TIMEOUT_SECONDS: '2',
  WANDB_X_GRAPHQL_RETRY_WAIT_MIN_SECONDS: '0.02',
  WANDB_X_GRAPHQL_RETRY_WAIT_MAX_SECONDS: '0.1',
  WANDB_X_GRAPHQL_TIMEOUT_SECONDS: '2',
  WANDB_X_FILE_TRANSFER_RETRY_WAIT_MIN_SECONDS: '0.02',
  WANDB_X_FILE_TRANSFER_RETRY_WAIT_MAX_SECONDS: '0.1',
  WANDB_X_FILE_TRANSFER_TIMEOUT_SECONDS: '2',
  WANDB_INIT_TIMEOUT: '5',
};

const WANDB_VARS = [
  'WANDB_API_KEY',
  'WANDB_BASE_URL',
  'WANDB_ENTITY',
  'WANDB_PROJECT',
  'WANDB_MODE',
  'WANDB_DIR',
  'WANDB_RUN_ID',
  'WANDB_RESUME',
  'WANDB_NAME',
  'WANDB_NOTES',
  'WANDB_TAGS',
  'WANDB_RUN_GROUP',
  'WANDB_JOB_TYPE',
  'WANDB_DISABLED',
  'WANDB_CONFIG_DIR',
  'NETRC',
];

/**
 * Sets W&B's environment for one test (everything else of W&B's unset, no ~/.netrc or saved
 * settings of the machine leaking in) and returns the function that restores it.
 */
export function setWandbEnv(vars: Record<string, string | undefined>): () => void {
  const isolated = fs.mkdtempSync(path.join(os.tmpdir(), 'wandb-env-'));
  const all: Record<string, string | undefined> = {
    ...Object.fromEntries(WANDB_VARS.map((k) => [k, undefined])),
    NETRC: path.join(isolated, 'no-netrc'),
    WANDB_CONFIG_DIR: isolated,
    ...FAST_NET,
    ...vars,
  };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  apply(all);
  return () => {
    apply(saved);
    fs.rmSync(isolated, { recursive: true, force: true });
  };
}

export function tempDir(prefix = 'vis-wandb-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
