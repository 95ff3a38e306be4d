import { netrcPassword, netrcPath } from './netrc.js';

export interface ApiKeyLookup {
  key: string | undefined;
  /** where the key came from, for messages: `WANDB_API_KEY`, `~/.netrc (api.wandb.ai)`, ... */
  source: string | undefined;
}

/** The key from the settings, `WANDB_API_KEY`, or the netrc entry of the API host, in that order. */
export function findApiKey(baseUrl: string, env: NodeJS.ProcessEnv, explicit?: string): ApiKeyLookup {
  if (explicit) return { key: explicit, source: 'init_kwargs.settings.api_key' };
  if (env.WANDB_API_KEY) return { key: env.WANDB_API_KEY.trim(), source: 'WANDB_API_KEY' };
  const host = new URL(baseUrl).hostname;
  const file = netrcPath(env);
  const key = netrcPassword(file, host);
  return key ? { key, source: `${file} (machine ${host})` } : { key: undefined, source: undefined };
}

/**
 * The shape the SDK accepts before it asks the server: an optional `prefix-` and at least 40 word
 * characters, or a JWT (`a.b.c`). Anything else is a typo or a pasted wrong value.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (/^([A-Za-z0-9_]+-)?[A-Za-z0-9_]{40,}$/.test(key)) return undefined;
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(key)) return undefined;
  return `it has ${key.length} characters; a W&B API key is 40 or more letters, digits or underscores (optionally after a "prefix-")`;
}

export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
}
