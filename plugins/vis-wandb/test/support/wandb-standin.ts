import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { parseLenientJson } from './lenient-json.js';

/**
 * A W&B server stand-in for tests: the protocol subset of the spec (§10) — GraphQL (Viewer,
 * ServerFeaturesQuery, UpsertBucket, RunResumeStatus, CreateRunFiles), file_stream and signed-URL
 * uploads — checked strictly and recorded, with fault injection. It runs in its own process
 * (see standin-process.ts) because the client's start-up check blocks its caller's thread.
 */

export interface Fault {
  /** which requests it hits */
  target: 'graphql' | 'file_stream' | 'upload' | 'any';
  /** GraphQL operation name, if only one */
  op?: string;
  /** `status`: answer `status` (with `retryAfter`); `drop`: close the connection; `hang`: never answer; `errors`: 200 with GraphQL errors */
  kind: 'status' | 'drop' | 'hang' | 'errors';
  status?: number;
  retryAfter?: string;
  /** extra headers on a `status` answer (e.g. RateLimit-*) */
  headers?: Record<string, string>;
  /** hit this many matching requests, then stop (default: all while active) */
  count?: number;
  /** active this long from when the faults were set (default: until replaced) */
  forMs?: number;
  /** `drop`/`hang`: handle the request first, then lose the answer */
  afterProcessing?: boolean;
}

interface ActiveFault extends Fault {
  until: number;
  left: number;
}

export interface StandinRun {
  id: string;
  name: string;
  entity: string;
  project: string;
  displayName: string;
  notes: string | null;
  groupName: string | null;
  jobType: string | null;
  host: string | null;
  tags: string[];
  config: Record<string, unknown> | null;
  upserts: number;
  files: Record<string, string[]>;
  uploaded: string[];
  preempting: boolean;
  completes: number;
  exitcode: number | null;
  fileStreamPosts: number;
  gzipPosts: number;
}

export interface StandinUpload {
  run: string;
  name: string;
  size: number;
  sha256: string;
  puts: number;
}

export interface StandinRequest {
  method: string;
  path: string;
  op?: string;
  auth: 'ok' | 'bad' | 'none';
  status: number | 'dropped' | 'hung';
}

export interface StandinState {
  runs: Record<string, StandinRun>;
  uploads: StandinUpload[];
  requests: StandinRequest[];
  violations: string[];
}

export interface StandinSetup {
  apiKey?: string;
  entity?: string;
  features?: string[];
  /** answer file_stream with `{"stopped": true}` */
  stopped?: boolean;
}

const UPLOAD_HEADER = 'X-Standin-Upload';

/** The variables every UpsertBucket carries (the client sends the unset ones as null). */
const UPSERT_VARIABLES = [
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

export class WandbStandin {
  private server = http.createServer((req, res) => void this.handle(req, res));
  private setup: Required<StandinSetup> = { apiKey: '', entity: 'standin-user', features: [], stopped: false };
  private faults: ActiveFault[] = [];
  private state: StandinState = { runs: {}, uploads: [], requests: [], violations: [] };
  private uploadTokens = new Map<string, { run: string; name: string }>();
  private hung = new Set<http.ServerResponse>();
  port = 0;

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  close(): void {
    for (const r of this.hung) r.destroy();
    this.server.closeAllConnections();
    this.server.close();
  }

  private reset(setup: StandinSetup): void {
    this.setup = { apiKey: setup.apiKey ?? '', entity: setup.entity ?? 'standin-user', features: setup.features ?? [], stopped: setup.stopped ?? false };
    this.faults = [];
    this.state = { runs: {}, uploads: [], requests: [], violations: [] };
    this.uploadTokens.clear();
  }

  /** wandb.Histogram's JSON: `values` (at most 512 counts) and `bins`, one edge more, ascending. */
  private checkHistogram(where: string, value: unknown): void {
    if (!value || typeof value !== 'object' || (value as { _type?: unknown })._type !== 'histogram') return;
    const { values, bins } = value as { values?: unknown; bins?: unknown };
    const numbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!numbers(values) || !numbers(bins)) {
      this.violation(`${where}: histogram values and bins must be arrays of finite numbers`);
      return;
    }
    if (values.length === 0 || values.length > 512) this.violation(`${where}: histogram with ${values.length} bins (1 to 512)`);
    if (bins.length !== values.length + 1) this.violation(`${where}: histogram has ${bins.length} edges for ${values.length} bins`);
    if (bins.some((b, i) => i > 0 && b < bins[i - 1])) this.violation(`${where}: histogram edges are not ascending`);
    if (values.some((v) => v < 0 || !Number.isInteger(v))) this.violation(`${where}: histogram counts must be non-negative integers`);
  }

  private violation(text: string): void {
    this.state.violations.push(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
      return status;
    };

    // the test's control channel
    if (url.pathname.startsWith('/__standin/')) {
      const what = url.pathname.slice('/__standin/'.length);
      const data = body.length ? JSON.parse(body.toString('utf8')) : {};
      if (what === 'reset') this.reset(data as StandinSetup);
      else if (what === 'faults') {
        const now = Date.now();
        this.faults = (data as Fault[]).map((f) => ({
          ...f,
          until: f.forMs === undefined ? Number.POSITIVE_INFINITY : now + f.forMs,
          left: f.count ?? Number.POSITIVE_INFINITY,
        }));
      } else if (what === 'state') return void send(200, this.state);
      else if (what === 'preload') this.preload(data as PreloadRun);
      return void send(200, { ok: true });
    }

    const record: StandinRequest = { method: req.method ?? '', path: url.pathname, auth: 'none', status: 0 };
    this.state.requests.push(record);
    const auth = req.headers.authorization;
    if (auth) record.auth = auth === `Basic ${Buffer.from(`api:${this.setup.apiKey}`).toString('base64')}` ? 'ok' : 'bad';

    let target: Fault['target'] | undefined;
    let op: string | undefined;
    let parsed: unknown;
    if (url.pathname === '/graphql' && req.method === 'POST') {
      target = 'graphql';
      try {
        parsed = JSON.parse(body.toString('utf8'));
        op = (parsed as { operationName?: string }).operationName ?? /(?:query|mutation)\s+(\w+)/.exec((parsed as { query: string }).query)?.[1];
      } catch {
        return void (record.status = send(400, { errors: [{ message: 'bad JSON' }] }));
      }
      record.op = op;
    } else if (/^\/files\/[^/]+\/[^/]+\/[^/]+\/file_stream$/.test(url.pathname) && req.method === 'POST') {
      target = 'file_stream';
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    } else if (url.pathname.startsWith('/__upload/') && req.method === 'PUT') {
      target = 'upload';
    } else {
      return void (record.status = send(404, { error: `no route ${req.method} ${url.pathname}` }));
    }

    const fault = this.takeFault(target, op);
    if (fault && !fault.afterProcessing) {
      if (fault.kind === 'drop') {
        record.status = 'dropped';
        return void req.socket.destroy();
      }
      if (fault.kind === 'hang') {
        record.status = 'hung';
        this.hang(res);
        return;
      }
      if (fault.kind === 'status') {
        const headers: Record<string, string> = { ...(fault.headers ?? {}) };
        if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
        return void (record.status = send(fault.status ?? 500, { error: 'injected fault' }, headers));
      }
      if (fault.kind === 'errors') return void (record.status = send(200, { errors: [{ message: 'injected GraphQL error' }] }));
    }

    let status: number;
    let answer: unknown;
    if (target === 'upload') [status, answer] = this.upload(url, req, body);
    else if (record.auth !== 'ok') [status, answer] = [401, { errors: [{ message: 'user is not logged in' }] }];
    else if (target === 'graphql') [status, answer] = this.graphql(op, (parsed as { variables?: Record<string, unknown> }).variables ?? {});
    else [status, answer] = this.fileStream(url.pathname, body, req.headers['content-encoding'] === 'gzip');

    if (fault?.afterProcessing) {
      // the work is done but the client never learns it: its retry must not duplicate anything
      if (fault.kind === 'drop') {
        record.status = 'dropped';
        return void req.socket.destroy();
      }
      record.status = 'hung';
      this.hang(res);
      return;
    }
    record.status = send(status, answer);
  }

  private hang(res: http.ServerResponse): void {
    this.hung.add(res);
    setTimeout(() => {
      this.hung.delete(res);
      res.destroy();
    }, 5_000).unref();
  }

  private takeFault(target: Fault['target'], op: string | undefined): ActiveFault | undefined {
    const now = Date.now();
    for (const f of this.faults) {
      if (f.left <= 0 || now > f.until) continue;
      if (f.target !== 'any' && f.target !== target) continue;
      if (f.op && f.op !== op) continue;
      f.left--;
      return f;
    }
    return undefined;
  }

  private runKey(entity: string, project: string, name: string): string {
    return `${entity}/${project}/${name}`;
  }

  private graphql(op: string | undefined, v: Record<string, unknown>): [number, unknown] {
    switch (op) {
      case 'Viewer':
        return [
          200,
          {
            data: {
              viewer: { id: 'VXNlcjox', entity: this.setup.entity, username: this.setup.entity, email: 'user@example.com', flags: '{}', teams: { edges: [] } },
            },
          },
        ];
      case 'ServerFeaturesQuery':
        return [200, { data: { serverInfo: { features: this.setup.features.map((name) => ({ name, isEnabled: true })) } } }];
      case 'UpsertBucket':
        return this.upsert(v);
      case 'RunResumeStatus':
        return this.resumeStatus(v);
      case 'CreateRunFiles':
        return this.createRunFiles(v);
      default:
        return [200, { data: {} }];
    }
  }

  private upsert(v: Record<string, unknown>): [number, unknown] {
    for (const k of UPSERT_VARIABLES) if (!(k in v)) this.violation(`UpsertBucket without variable ${k} (unset variables are sent as null)`);
    if (typeof v.name !== 'string' || !v.name) return [400, { errors: [{ message: 'name is required' }] }];
    const entity = (v.entity as string | null) ?? this.setup.entity;
    const project = (v.project as string | null) ?? 'uncategorized';
    const key = this.runKey(entity, project, v.name);
    let run = this.state.runs[key];
    if (v.id !== null && v.id !== undefined && run && v.id !== run.id) this.violation(`UpsertBucket id ${String(v.id)} does not match run ${key} (${run.id})`);
    if (!run) {
      run = this.state.runs[key] = {
        id: Buffer.from(`Run:v1:${v.name}:${project}:${entity}`).toString('base64'),
        name: v.name,
        entity,
        project,
        displayName: `standin-run-${Object.keys(this.state.runs).length + 1}`,
        notes: null,
        groupName: null,
        jobType: null,
        host: null,
        tags: [],
        config: null,
        upserts: 0,
        files: {},
        uploaded: [],
        preempting: false,
        completes: 0,
        exitcode: null,
        fileStreamPosts: 0,
        gzipPosts: 0,
      };
    }
    run.upserts++;
    // a resumed run (UpsertBucket with the storage id) is running again and will finish again
    if (v.id !== null && v.id !== undefined) run.exitcode = null;
    // null leaves a field as it is
    if (v.displayName !== null) run.displayName = v.displayName as string;
    for (const f of ['notes', 'groupName', 'jobType', 'host'] as const) if (v[f] !== null && v[f] !== undefined) run[f] = v[f] as string;
    if (v.tags !== null && v.tags !== undefined) run.tags = v.tags as string[];
    if (v.config !== null && v.config !== undefined) {
      if (typeof v.config !== 'string') this.violation('UpsertBucket config is not a JSON string');
      else {
        const config = parseLenientJson(v.config) as Record<string, unknown>;
        for (const [k, val] of Object.entries(config)) {
          if (!val || typeof val !== 'object' || !('value' in val)) this.violation(`config key ${k} is not wrapped as {"value": ...}`);
        }
        run.config = config;
      }
    }
    const history = run.files['wandb-history.jsonl']?.length ?? 0;
    return [
      200,
      {
        data: {
          upsertBucket: {
            bucket: {
              id: run.id,
              name: run.name,
              displayName: run.displayName,
              description: null,
              config: JSON.stringify(run.config ?? {}),
              sweepName: null,
              project: { id: 'UHJvamVjdDox', name: project, entity: { id: 'RW50aXR5OjE=', name: entity } },
              historyLineCount: history,
            },
            inserted: run.upserts === 1,
          },
        },
      },
    ];
  }

  private resumeStatus(v: Record<string, unknown>): [number, unknown] {
    const entity = (v.entity as string | null) ?? this.setup.entity;
    const project = (v.project as string | null) ?? 'uncategorized';
    const run = this.state.runs[this.runKey(entity, project, String(v.name))];
    const model = { id: 'UHJvamVjdDox', name: project, entity: { id: 'RW50aXR5OjE=', name: entity } };
    if (!run) return [200, { data: { model: { ...model, bucket: null } } }];
    const history = run.files['wandb-history.jsonl'] ?? [];
    const wandb = ((run.config?._wandb as { value?: Record<string, unknown> } | undefined)?.value ?? {}) as Record<string, unknown>;
    return [
      200,
      {
        data: {
          model: {
            ...model,
            bucket: {
              id: run.id,
              name: run.name,
              summaryMetrics: run.files['wandb-summary.json']?.[0] ?? '{}',
              displayName: run.displayName,
              logLineCount: run.files['output.log']?.length ?? 0,
              historyLineCount: history.length,
              eventsLineCount: run.files['wandb-events.jsonl']?.length ?? 0,
              historyTail: JSON.stringify(history.slice(-10)),
              eventsTail: '[]',
              config: JSON.stringify(run.config ?? {}),
              tags: run.tags,
              notes: run.notes,
              wandbConfig: JSON.stringify('t' in wandb ? { t: wandb.t } : {}),
            },
          },
        },
      },
    ];
  }

  private createRunFiles(v: Record<string, unknown>): [number, unknown] {
    const key = this.runKey(String(v.entity), String(v.project), String(v.run));
    if (!this.state.runs[key]) return [404, { errors: [{ message: `run ${key} not found` }] }];
    const files = (v.files as string[]).map((name) => {
      const token = crypto.randomBytes(8).toString('hex');
      this.uploadTokens.set(token, { run: key, name });
      return { name, uploadUrl: `http://127.0.0.1:${this.port}/__upload/${token}?signature=standin` };
    });
    return [200, { data: { createRunFiles: { runID: this.state.runs[key].id, uploadHeaders: [`${UPLOAD_HEADER}:yes`], files } } }];
  }

  private upload(url: URL, req: http.IncomingMessage, body: Buffer): [number, unknown] {
    const token = url.pathname.slice('/__upload/'.length);
    const target = this.uploadTokens.get(token);
    if (!target) return [403, { error: 'unknown upload URL' }];
    if (req.headers.authorization) this.violation(`upload of ${target.name} carried an Authorization header`);
    if (req.headers[UPLOAD_HEADER.toLowerCase()] !== 'yes') this.violation(`upload of ${target.name} lacks the uploadHeaders of CreateRunFiles`);
    if (url.searchParams.get('signature') !== 'standin') this.violation(`upload of ${target.name} did not use the URL as given`);
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const existing = this.state.uploads.find((u) => u.run === target.run && u.name === target.name);
    if (existing) Object.assign(existing, { size: body.length, sha256, puts: existing.puts + 1 });
    else this.state.uploads.push({ run: target.run, name: target.name, size: body.length, sha256, puts: 1 });
    return [200, {}];
  }

  private fileStream(pathname: string, body: Buffer, gzip: boolean): [number, unknown] {
    const [, , entity, project, name] = pathname.split('/').map(decodeURIComponent);
    const key = this.runKey(entity, project, name);
    const run = this.state.runs[key];
    if (!run) return [404, { error: `run ${key} not found` }];
    let data: Record<string, unknown>;
    try {
      data = parseLenientJson(body.toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      this.violation(`file_stream body is not JSON: ${(e as Error).message}`);
      return [400, { error: 'bad body' }];
    }
    run.fileStreamPosts++;
    if (gzip) run.gzipPosts++;
    const files = (data.files ?? {}) as Record<string, { offset: number; content: string[] }>;
    for (const [file, { offset, content }] of Object.entries(files)) {
      const lines = (run.files[file] ??= []);
      if (file === 'wandb-summary.json') {
        if (offset !== 0 || content.length !== 1) this.violation(`summary sent at offset ${offset} with ${content.length} lines`);
        lines[0] = content[content.length - 1];
        try {
          parseLenientJson(lines[0]);
        } catch {
          this.violation('summary line is not JSON');
        }
        continue;
      }
      if (offset > lines.length) this.violation(`${file}: offset ${offset} leaves a gap after line ${lines.length}`);
      content.forEach((line, i) => {
        const at = offset + i;
        if (file === 'wandb-history.jsonl') {
          if (at < lines.length && lines[at] !== line) this.violation(`history line ${at} rewritten with different content`);
          try {
            const row = parseLenientJson(line) as Record<string, unknown>;
            if (typeof row._step !== 'number') this.violation(`history line ${at} has no _step`);
            for (const [key, value] of Object.entries(row)) this.checkHistogram(`history line ${at} ${key}`, value);
          } catch {
            this.violation(`history line ${at} is not JSON`);
          }
        }
        lines[at] = line;
      });
    }
    for (const f of (data.uploaded ?? []) as string[]) {
      if (!this.state.uploads.some((u) => u.run === key && u.name === f)) this.violation(`${f} listed as uploaded but never PUT`);
      if (!run.uploaded.includes(f)) run.uploaded.push(f);
    }
    if (data.preempting) run.preempting = true;
    if (data.complete === true) {
      if (run.exitcode !== null && run.exitcode !== data.exitcode) this.violation(`complete sent again with exit code ${data.exitcode} (was ${run.exitcode})`);
      run.completes++;
      run.exitcode = data.exitcode as number;
    }
    return [200, this.setup.stopped ? { exitcode: null, limits: {}, stopped: true } : { exitcode: null, limits: {} }];
  }

  private preload(p: PreloadRun): void {
    const key = this.runKey(p.entity, p.project, p.name);
    this.upsert({
      ...Object.fromEntries(UPSERT_VARIABLES.map((k) => [k, null])),
      name: p.name,
      entity: p.entity,
      project: p.project,
      config: JSON.stringify(p.config),
    });
    const run = this.state.runs[key];
    run.upserts = 0;
    run.files = { 'wandb-history.jsonl': p.history, 'output.log': p.output ?? [], 'wandb-summary.json': [p.summary] };
  }
}

export interface PreloadRun {
  entity: string;
  project: string;
  name: string;
  config: Record<string, unknown>;
  history: string[];
  output?: string[];
  summary: string;
}
