import { TrainkitError } from '@trainkit/core';
import { parseWandb, stringifyWandb } from '../json/wandb-json.js';
import type { Item } from '../record/messages.js';
import { HttpClient } from '../net/http-client.js';
import {
  GraphqlError,
  type OperationName,
  type RunResumeStatusData,
  type ServerFeaturesData,
  type UpsertBucketData,
  type ViewerData,
  graphqlData,
  graphqlRequest,
  upsertVariables,
} from '../net/graphql.js';
import { apiHeaders } from '../net/headers.js';
import { RetriesExhaustedError, sendWithRetry } from '../net/retry.js';
import type { Settings } from '../settings/resolve-settings.js';

/** What the server said at start: where the run lives and where a resumed run continues. */
export interface Handshake {
  entity: string;
  project: string;
  runId: string;
  storageId: string;
  displayName: string | undefined;
  historyBase: number;
  outputBase: number;
  startingStep: number;
  startingRuntime: number;
  resumed: boolean;
  /** a resumed run's summary and config, sent again so nothing of them is lost */
  previousSummary: Item[];
  previousConfig: Item[];
  tags: string[] | undefined;
  notes: string | undefined;
  gzip: boolean;
}

/** The server could not be reached (or kept failing) within the start-up time. */
export class ServerUnreachable extends Error {
  override name = 'ServerUnreachable';
}

const FIX_KEY =
  'check the key (https://wandb.ai/authorize for W&B cloud), set WANDB_API_KEY or run `wandb login`; or train with mode "offline" and upload later';

/**
 * The start of an online run, awaited by the backend's `start()` so that a wrong key or a resume
 * conflict stops the run before training: log in (Viewer), read the server's features, look up
 * the run when resuming, create or update it (UpsertBucket). Retries follow net/retry.ts, all
 * within `init_timeout`.
 */
export async function handshake(settings: Settings, initialConfig: Item[], host: string): Promise<Handshake> {
  const http = new HttpClient();
  const headers = apiHeaders(settings.apiKey as string, { username: settings.username, email: settings.email });
  const deadline = Date.now() + settings.net.initTimeoutMs;
  const policy = settings.net.graphql;
  // the start holds the process: nothing else keeps it alive while a program awaits it
  const observer = { hold: () => true };

  const call = async <T>(op: OperationName, variables: Record<string, unknown>): Promise<T> => {
    const send = () => {
      const timeoutMs = Math.max(1000, Math.min(policy.timeoutMs || 30_000, deadline - Date.now()));
      return http.send(graphqlRequest(settings.baseUrl, headers, op, variables, timeoutMs));
    };
    try {
      return graphqlData<T>(op, await sendWithRetry(op === 'UpsertBucket' ? 'upsert' : 'graphql', policy, send, { deadline, observer }));
    } catch (e) {
      if (e instanceof RetriesExhaustedError) throw new ServerUnreachable(`${op} at ${settings.baseUrl}: ${e.last}`);
      throw e;
    }
  };

  try {
    let viewer: ViewerData['viewer'];
    try {
      viewer = (await call<ViewerData>('Viewer', {})).viewer;
    } catch (e) {
      if (e instanceof GraphqlError) {
        throw new TrainkitError(
          `W&B refused the API key from ${settings.apiKeySource} (${settings.baseUrl} answered: ${e.message.replace(/^Viewer: /, '')})\n  fix: ${FIX_KEY}`,
        );
      }
      throw e;
    }
    if (!viewer?.entity) {
      throw new TrainkitError(`W&B did not accept the API key from ${settings.apiKeySource}: ${settings.baseUrl} knows no user for it\n  fix: ${FIX_KEY}`);
    }
    let gzip = false;
    try {
      const features = (await call<ServerFeaturesData>('ServerFeaturesQuery', {})).serverInfo?.features ?? [];
      gzip = features.some((f) => f.name === 'FILESTREAM_GZIP' && f.isEnabled);
    } catch (e) {
      if (!(e instanceof GraphqlError)) throw e; // older servers lack the query: plain JSON then
    }

    const entity = settings.entity ?? viewer.entity;
    const project = settings.project ?? 'uncategorized';
    const resume = settings.resume ? await lookUpRun(call, settings, entity, project) : undefined;

    const config = mergeConfig(resume?.config ?? [], initialConfig);
    const configJson = `{${config.map((it) => `${JSON.stringify(it.key)}:{"value":${it.valueJson}}`).join(',')}${config.length ? ',' : ''}"_wandb":{"value":{"t":{}}}}`;
    const upsert = (
      await call<UpsertBucketData>(
        'UpsertBucket',
        upsertVariables({
          id: resume?.storageId,
          name: settings.runId,
          project,
          entity,
          groupName: settings.group,
          displayName: settings.displayName,
          notes: settings.notes ?? resume?.notes,
          jobType: settings.jobType,
          tags: settings.tags ?? resume?.tags,
          host,
          program: process.argv[1],
          config: configJson,
        }),
      )
    ).upsertBucket.bucket;
    return {
      entity: upsert.project?.entity.name ?? entity,
      project: upsert.project?.name ?? project,
      runId: upsert.name,
      storageId: upsert.id,
      displayName: upsert.displayName ?? undefined,
      historyBase: resume ? resume.historyLineCount : (upsert.historyLineCount ?? 0),
      outputBase: resume?.logLineCount ?? 0,
      startingStep: resume?.startingStep ?? 0,
      startingRuntime: resume?.startingRuntime ?? 0,
      resumed: Boolean(resume),
      previousSummary: resume?.summary ?? [],
      previousConfig: resume?.config ?? [],
      tags: settings.tags ?? resume?.tags,
      notes: settings.notes ?? resume?.notes,
      gzip,
    };
  } catch (e) {
    if (e instanceof GraphqlError) {
      throw new TrainkitError(`W&B could not start the run ${settings.runId}: ${e.message}\n  fix: check init_kwargs (entity, project, id) and WANDB_BASE_URL`);
    }
    throw e;
  } finally {
    await http.close();
  }
}

interface ExistingRun {
  storageId: string;
  historyLineCount: number;
  logLineCount: number;
  startingStep: number;
  startingRuntime: number;
  summary: Item[];
  config: Item[];
  tags: string[] | undefined;
  notes: string | undefined;
}

function jsonObject(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = parseWandb(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** RunResumeStatus and the resume rules: `must` needs the run, `never` forbids it, `allow`/`auto` take either. */
async function lookUpRun(
  call: <T>(op: OperationName, v: Record<string, unknown>) => Promise<T>,
  settings: Settings,
  entity: string,
  project: string,
): Promise<ExistingRun | undefined> {
  const data = await call<RunResumeStatusData>('RunResumeStatus', { project, entity, name: settings.runId });
  const bucket = data.model?.bucket;
  // the SDK counts a run as started only once its config carries `_wandb.t`
  const exists = Boolean(bucket) && 't' in jsonObject(bucket?.wandbConfig);
  const where = `${entity}/${project}/${settings.runId}`;
  if (settings.resume === 'must' && !exists) {
    throw new TrainkitError(`W&B run ${where} does not exist, and resume is "must"\n  fix: check init_kwargs.id / WANDB_RUN_ID, or use resume "allow"`);
  }
  if (settings.resume === 'never' && exists) {
    throw new TrainkitError(`W&B run ${where} already exists, and resume is "never"\n  fix: choose a new id, or use resume "allow"`);
  }
  if (!bucket || !exists) return undefined;

  const summaryObj = jsonObject(bucket.summaryMetrics);
  let tail: Record<string, unknown> = {};
  try {
    const lines = JSON.parse(bucket.historyTail ?? '[]') as string[];
    if (lines.length) tail = jsonObject(lines[lines.length - 1]);
  } catch {
    // no usable tail: fall back to the summary
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const lastStep = num(tail._step) ?? num(summaryObj._step);
  const wandb = (summaryObj._wandb ?? {}) as Record<string, unknown>;
  const runtime = Math.max(num(wandb.runtime) ?? 0, num(summaryObj._runtime) ?? 0, num(tail._runtime) ?? 0);
  const configObj = jsonObject(bucket.config);
  const config = Object.entries(configObj)
    .filter(([k]) => k !== '_wandb')
    .map(([key, v]) => ({ key, valueJson: stringifyWandb(v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v) }));
  const summary = Object.entries(summaryObj)
    .filter(([k]) => k !== '_wandb')
    .map(([key, v]) => ({ key, valueJson: stringifyWandb(v) }));
  return {
    storageId: bucket.id,
    historyLineCount: bucket.historyLineCount ?? 0,
    logLineCount: bucket.logLineCount ?? 0,
    startingStep: lastStep !== undefined ? lastStep + 1 : (bucket.historyLineCount ?? 0),
    startingRuntime: runtime,
    summary,
    config,
    tags: bucket.tags ?? undefined,
    notes: bucket.notes ?? undefined,
  };
}

/** The old config under the new one. */
function mergeConfig(old: Item[], next: Item[]): Item[] {
  const map = new Map(old.map((it) => [it.key, it]));
  for (const it of next) map.set(it.key, it);
  return [...map.values()];
}
