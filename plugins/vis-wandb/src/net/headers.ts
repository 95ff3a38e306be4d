import { basicAuth } from '../settings/api-key.js';

export const CLIENT_NAME = 'trainkit-vis-wandb';
export const CLIENT_VERSION = '0.1.0';

/** Headers of every request to the API host (never of uploads to signed URLs). */
export function apiHeaders(apiKey: string, extra: { username?: string; email?: string } = {}): Record<string, string> {
  const h: Record<string, string> = {
    Authorization: basicAuth(apiKey),
    'User-Agent': `${CLIENT_NAME}/${CLIENT_VERSION}`,
    'Content-Type': 'application/json',
  };
  if (extra.username) h['X-WANDB-USERNAME'] = extra.username;
  if (extra.email) h['X-WANDB-USER-EMAIL'] = extra.email;
  return h;
}

/** The web page of a run: the app lives on the API host without its `api.` prefix. */
export function runUrl(baseUrl: string, entity: string | undefined, project: string | undefined, runId: string): string {
  const url = new URL(baseUrl);
  if (url.hostname.startsWith('api.')) url.hostname = url.hostname.slice(4);
  return `${url.origin}/${entity ?? '<entity>'}/${project ?? 'uncategorized'}/runs/${runId}`;
}
