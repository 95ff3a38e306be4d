import type { HttpRequest, HttpResponse } from './http-types.js';
import { isSuccess } from './retry.js';

/**
 * The GraphQL operations a run needs (spec §4), with the operation names and variables the
 * server expects. Query texts select only what trainkit reads.
 */
export const OPERATIONS = {
  Viewer: 'query Viewer { viewer { id entity username email flags teams { edges { node { name } } } } }',
  ServerFeaturesQuery: 'query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }',
  RunResumeStatus:
    'query RunResumeStatus($project: String, $entity: String, $name: String!) { model(name: $project, entityName: $entity) { id name entity { id name } ' +
    'bucket(name: $name, missingOk: true) { id name summaryMetrics displayName logLineCount historyLineCount eventsLineCount historyTail eventsTail config tags notes wandbConfig(keys: ["t"]) } } }',
  UpsertBucket:
    'mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $groupName: String, $description: String, $displayName: String, ' +
    '$notes: String, $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String, $state: String, ' +
    '$sweep: String, $tags: [String!], $summaryMetrics: JSONString) { upsertBucket(input: { id: $id, name: $name, groupName: $groupName, modelName: $project, ' +
    'entityName: $entity, description: $description, displayName: $displayName, notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug, ' +
    'jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics }) ' +
    '{ bucket { id name displayName description config sweepName project { id name entity { id name } } historyLineCount } inserted } }',
  CreateRunFiles:
    'mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) { createRunFiles(input: { entityName: $entity, ' +
    'projectName: $project, runName: $run, files: $files }) { runID uploadHeaders files { name uploadUrl } } }',
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** A GraphQL answer that is a failure: a non-2xx status or a 200 carrying `errors`. */
export class GraphqlError extends Error {
  override name = 'GraphqlError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function graphqlRequest(
  baseUrl: string,
  headers: Record<string, string>,
  op: OperationName,
  variables: Record<string, unknown>,
  timeoutMs: number,
): HttpRequest {
  return {
    method: 'POST',
    url: `${baseUrl}/graphql`,
    headers,
    body: JSON.stringify({ query: OPERATIONS[op], operationName: op, variables }),
    timeoutMs,
  };
}

/** The `data` of an answer, or a GraphqlError with the server's own words. */
export function graphqlData<T>(op: OperationName, res: HttpResponse): T {
  let json: { data?: unknown; errors?: Array<{ message?: string }>; error?: string | { message?: string } } | undefined;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    json = undefined;
  }
  const messages = [
    ...(json?.errors ?? []).map((e) => e?.message).filter(Boolean),
    ...(typeof json?.error === 'string' ? [json.error] : json?.error?.message ? [json.error.message] : []),
  ] as string[];
  if (!isSuccess(res.status)) {
    const text = messages.join('; ') || res.body.toString('utf8').slice(0, 200).trim() || 'no details';
    throw new GraphqlError(`${op}: HTTP ${res.status}: ${text}`, res.status);
  }
  if (messages.length) throw new GraphqlError(`${op}: ${messages.join('; ')}`, res.status);
  if (!json || json.data === undefined || json.data === null) throw new GraphqlError(`${op}: the answer has no data`, res.status);
  return json.data as T;
}

export interface ViewerData {
  viewer: { id?: string; entity?: string | null; username?: string | null; email?: string | null } | null;
}

export interface ServerFeaturesData {
  serverInfo?: { features?: Array<{ name: string; isEnabled: boolean }> | null } | null;
}

export interface UpsertBucketData {
  upsertBucket: {
    bucket: {
      id: string;
      name: string;
      displayName?: string | null;
      project?: { id?: string; name: string; entity: { id?: string; name: string } } | null;
      historyLineCount?: number | null;
    };
    inserted?: boolean;
  };
}

export interface RunResumeStatusData {
  model: {
    name?: string;
    entity?: { name: string } | null;
    bucket: {
      id: string;
      name: string;
      summaryMetrics?: string | null;
      displayName?: string | null;
      logLineCount?: number | null;
      historyLineCount?: number | null;
      eventsLineCount?: number | null;
      historyTail?: string | null;
      eventsTail?: string | null;
      config?: string | null;
      tags?: string[] | null;
      notes?: string | null;
      wandbConfig?: string | null;
    } | null;
  } | null;
}

export interface CreateRunFilesData {
  createRunFiles: { runID?: string; uploadHeaders?: string[] | null; files: Array<{ name: string; uploadUrl: string | null }> };
}

/** UpsertBucket variables: every variable present, `null` meaning "leave as it is". */
export function upsertVariables(v: Partial<Record<string, unknown>>): Record<string, unknown> {
  const names = [
    'id',
    'name',
    'project',
    'entity',
    'groupName',
    'description',
    'displayName',
    'notes',
    'commit',
    'config',
    'host',
    'debug',
    'program',
    'repo',
    'jobType',
    'state',
    'sweep',
    'tags',
    'summaryMetrics',
  ];
  return Object.fromEntries(names.map((n) => [n, v[n] === undefined || v[n] === '' ? null : v[n]]));
}
