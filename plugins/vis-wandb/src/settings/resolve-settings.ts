import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@trainkit/core';
import type { InitKwargs } from '../options.js';
import { findApiKey } from './api-key.js';
import { generateRunId, readResumeId } from './run-id.js';

export type Mode = 'online' | 'offline' | 'disabled';
export type ResumeMode = 'allow' | 'must' | 'never' | 'auto';

/** Retries of one kind of request (spec §8). */
export interface RetryPolicy {
  maxRetries: number;
  minWaitMs: number;
  maxWaitMs: number;
  /** per attempt; 0 = none */
  timeoutMs: number;
}

export interface NetSettings {
  graphql: RetryPolicy;
  fileStream: RetryPolicy;
  upload: RetryPolicy;
  /** how often the file stream sends what has piled up */
  transmitIntervalMs: number;
  /** an empty file_stream request after this much silence keeps the run from being marked crashed */
  heartbeatMs: number;
  /** how long the start-up check may take before the run goes on with the spool only */
  initTimeoutMs: number;
}

export interface Settings {
  mode: Mode;
  baseUrl: string;
  apiKey: string | undefined;
  apiKeySource: string | undefined;
  entity: string | undefined;
  project: string | undefined;
  runId: string;
  resume: ResumeMode | undefined;
  /** the `wandb` folder that holds run folders */
  wandbDir: string;
  displayName: string | undefined;
  notes: string | undefined;
  tags: string[] | undefined;
  group: string | undefined;
  jobType: string | undefined;
  username: string | undefined;
  email: string | undefined;
  net: NetSettings;
  warnings: string[];
}

const WHERE = 'WandbVisBackend.init_kwargs';
export const DEFAULT_BASE_URL = 'https://api.wandb.ai';

const seconds = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** A W&B setting from `init_kwargs.settings`, else its `WANDB_X_*` / `WANDB_*` environment variable. */
function setting(name: string, s: Record<string, unknown>, env: NodeJS.ProcessEnv, ...envNames: string[]): unknown {
  if (s[name] !== undefined && s[name] !== null) return s[name];
  for (const e of [`WANDB_${name.toUpperCase()}`, ...envNames]) if (env[e] !== undefined) return env[e];
  return undefined;
}

export function normalizeMode(raw: string | undefined | null, where: string): Mode | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const m = raw.toLowerCase();
  if (m === 'online' || m === 'run' || m === 'shared') return 'online';
  if (m === 'offline' || m === 'dryrun') return 'offline';
  if (m === 'disabled') return 'disabled';
  throw new ConfigError('unknown W&B mode', { path: where, found: raw, fix: 'use online, offline or disabled' });
}

function normalizeResume(raw: unknown, where: string): ResumeMode | undefined {
  if (raw === undefined || raw === null || raw === false || raw === '' || raw === 'false') return undefined;
  if (raw === true || raw === 'true') return 'auto';
  if (raw === 'allow' || raw === 'must' || raw === 'never' || raw === 'auto') return raw;
  throw new ConfigError('unknown W&B resume mode', { path: where, found: raw, fix: 'use allow, must, never, auto or true' });
}

/** `base_url` that `wandb login --host` saved in W&B's settings file, if any. */
function savedBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.WANDB_CONFIG_DIR || path.join(env.HOME || os.homedir(), '.config', 'wandb');
  try {
    const text = fs.readFileSync(path.join(dir, 'settings'), 'utf8');
    const m = /^\s*base_url\s*=\s*(\S+)\s*$/m.exec(text);
    return m?.[1];
  } catch {
    return undefined;
  }
}

export function normalizeBaseUrl(raw: string, where: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('WANDB_BASE_URL is not a URL', { path: where, found: raw, fix: 'use e.g. https://api.wandb.ai or https://wandb.example.com' });
  }
  if (url.protocol === 'http:' && (url.hostname === 'wandb.ai' || url.hostname.endsWith('.wandb.ai'))) {
    throw new ConfigError('W&B cloud is only reachable over https', { path: where, found: raw, fix: 'use https://' });
  }
  return raw.replace(/\/+$/, '');
}

/** Options and the environment, resolved the way the W&B SDK does (init arguments win over env). */
export function resolveSettings(opts: { save_dir?: string; init_kwargs?: InitKwargs | null }, env: NodeJS.ProcessEnv = process.env): Settings {
  const k = opts.init_kwargs ?? {};
  const s = (k.settings ?? {}) as Record<string, unknown>;
  const warnings: string[] = [];
  if (k.mode === 'shared') warnings.push('W&B mode "shared" is treated as "online" (one writer per run)');
  const disabledEnv = env.WANDB_DISABLED && env.WANDB_DISABLED !== 'false' ? 'disabled' : undefined;
  const mode = normalizeMode(k.mode, `${WHERE}.mode`) ?? normalizeMode(env.WANDB_MODE ?? disabledEnv, 'WANDB_MODE') ?? 'online';

  const baseRaw = (s.base_url as string | undefined) ?? env.WANDB_BASE_URL ?? savedBaseUrl(env) ?? DEFAULT_BASE_URL;
  const baseUrl = normalizeBaseUrl(baseRaw, s.base_url ? `${WHERE}.settings.base_url` : 'WANDB_BASE_URL');
  const { key, source } = mode === 'online' ? findApiKey(baseUrl, env, s.api_key as string | undefined) : { key: undefined, source: undefined };

  const parent = k.dir ?? env.WANDB_DIR ?? opts.save_dir ?? process.cwd();
  const hidden = path.join(parent, '.wandb');
  const wandbDir = fs.existsSync(hidden) ? hidden : path.join(parent, 'wandb');

  const resume = normalizeResume(k.resume ?? env.WANDB_RESUME, k.resume !== undefined && k.resume !== null ? `${WHERE}.resume` : 'WANDB_RESUME');
  const givenId = k.id ?? env.WANDB_RUN_ID ?? undefined;
  const runId = givenId || (resume === 'auto' ? readResumeId(wandbDir) : undefined) || generateRunId();
  if (!/^[A-Za-z0-9_.-]+$/.test(runId)) {
    throw new ConfigError('a W&B run id may hold only letters, digits, "_", "-" and "."', { path: `${WHERE}.id`, found: runId, fix: 'choose another id' });
  }

  const tagsEnv = env.WANDB_TAGS?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const sec = (name: string, dflt: number, ...envNames: string[]) => (seconds(setting(name, s, env, ...envNames)) ?? dflt) * 1000;
  const num = (name: string, dflt: number) => seconds(setting(name, s, env)) ?? dflt;
  const net: NetSettings = {
    graphql: {
      maxRetries: num('x_graphql_retry_max', 20),
      minWaitMs: sec('x_graphql_retry_wait_min_seconds', 2),
      maxWaitMs: sec('x_graphql_retry_wait_max_seconds', 60),
      timeoutMs: sec('x_graphql_timeout_seconds', 30, 'WANDB_HTTP_TIMEOUT'),
    },
    fileStream: {
      maxRetries: num('x_file_stream_retry_max', 10085),
      minWaitMs: sec('x_file_stream_retry_wait_min_seconds', 2),
      maxWaitMs: sec('x_file_stream_retry_wait_max_seconds', 60),
      timeoutMs: sec('x_file_stream_timeout_seconds', 180),
    },
    upload: {
      maxRetries: num('x_file_transfer_retry_max', 20),
      minWaitMs: sec('x_file_transfer_retry_wait_min_seconds', 2),
      maxWaitMs: sec('x_file_transfer_retry_wait_max_seconds', 60),
      timeoutMs: sec('x_file_transfer_timeout_seconds', 0, 'WANDB_FILE_PUSHER_TIMEOUT'),
    },
    transmitIntervalMs: sec('x_file_stream_transmit_interval', 15),
    heartbeatMs: sec('x_file_stream_heartbeat_seconds', 30),
    initTimeoutMs: sec('init_timeout', 90, 'WANDB_INIT_TIMEOUT'),
  };

  return {
    mode,
    baseUrl,
    apiKey: key,
    apiKeySource: source,
    entity: k.entity ?? env.WANDB_ENTITY ?? undefined,
    project: k.project ?? env.WANDB_PROJECT ?? undefined,
    runId,
    resume,
    wandbDir,
    displayName: k.name ?? env.WANDB_NAME ?? undefined,
    notes: k.notes ?? env.WANDB_NOTES ?? undefined,
    tags: k.tags ?? tagsEnv ?? undefined,
    group: k.group ?? env.WANDB_RUN_GROUP ?? undefined,
    jobType: k.job_type ?? env.WANDB_JOB_TYPE ?? undefined,
    username: env.WANDB_USERNAME,
    email: env.WANDB_USER_EMAIL,
    net,
    warnings,
  };
}
