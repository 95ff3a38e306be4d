import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseWandb } from '../json/wandb-json.js';
import { decodeRecord } from '../record/messages.js';
import { RecordLogReader } from '../record/log-reader.js';
import type { RunPaths } from '../run/run-dir.js';
import type { NetSettings } from '../settings/resolve-settings.js';
import {
  GraphqlError,
  type RunResumeStatusData,
  type ServerFeaturesData,
  type UpsertBucketData,
  graphqlData,
  graphqlRequest,
  upsertVariables,
} from '../net/graphql.js';
import { apiHeaders, runUrl } from '../net/headers.js';
import { HttpClient } from '../net/http-client.js';
import { AbortedError, type RetryObserver, isSuccess, rateLimitDelayMs, sleep } from '../net/retry.js';
import { Uploader } from '../net/uploader.js';
import { type Cursor, emptyCursor, readCursor, writeCursor } from './cursor.js';
import { RunState } from './run-state.js';
import { configYaml } from './config-yaml.js';

export interface StreamerOptions {
  paths: RunPaths;
  baseUrl: string;
  apiKey: string;
  net: NetSettings;
  username?: string;
  email?: string;
  /** tailing a log that is still being written (online run), rather than syncing a finished one */
  live: boolean;
  /** where to put the run instead of the log's entity/project (sync) */
  overrides?: { entity?: string; project?: string };
  /** the start-up check already read the server's features */
  gzip?: boolean;
  log: { warn(message: string): void; info(message: string): void };
}

/** Where a run stands once the sender stops. */
export interface StreamReport {
  complete: boolean;
  exitCode: number | undefined;
  historyRows: number;
  historyLeft: number;
  outputLines: number;
  outputLeft: number;
  filesLeft: string[];
  /** why the sender stopped early (a non-retryable answer), if it did */
  problem: string | undefined;
  /** the last transient failure, if the server was failing when the sender gave up waiting */
  lastFailure: string | undefined;
  url: string | undefined;
}

// Requests stay well under the server's ~10 MiB limit; a backlog goes out in several.
const MAX_LINES_PER_REQUEST = 10_000;
const MAX_BYTES_PER_REQUEST = 4 << 20;
// Lines held in memory at most; the rest waits in the log until these are acknowledged.
const MAX_PENDING_LINES = 50_000;
const CONFIG_DEBOUNCE_MS = 5_000;

/**
 * The background sender of one run. It reads the run's record log (tailing it while the run is
 * live) and sends what it finds: UpsertBucket for the run and its config, file_stream for history,
 * summary and console lines, CreateRunFiles + PUT for media, and the final `complete` request.
 * Lines are addressed by their index in the log, so every retry resends the same bytes at the
 * same offsets and the server never sees a row twice; what was acknowledged is recorded in the
 * cursor next to the log, which is what lets `wandb-sync` pick up where a run stopped.
 */
export class RunStreamer {
  readonly cursor: Cursor;
  private readonly state: RunState;
  private readonly reader: RecordLogReader;
  private readonly http = new HttpClient();
  private readonly abort = new AbortController();
  private readonly uploader: Uploader;
  private readonly headers: Record<string, string>;
  private readonly observer: RetryObserver;
  private readonly uploadedUnreported = new Set<string>();
  private readonly failedFiles = new Map<string, string>();
  private filesQueued = 0;
  private endFiles: string[] | undefined;
  private caughtUp = false;
  private backlog = false;
  private finishing = false;
  private done = false;
  private problem: string | undefined;
  private lastFailure: string | undefined;
  private failing = false;
  private stoppedNoticed = false;
  private gzip: boolean | undefined;
  private summarySent = -1;
  private configSent = -1;
  private lastConfigAt = 0;
  private lastPostAt = Date.now();
  private notBefore = 0;
  private preemptSent = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private cycles = 0;
  private readonly flushWaiters: Array<{ after: number; resolve: () => void }> = [];

  constructor(private readonly opts: StreamerOptions) {
    this.cursor = readCursor(opts.paths.cursorFile) ?? emptyCursor();
    this.state = new RunState({ history: this.cursor.historySent, output: this.cursor.outputSent });
    this.reader = new RecordLogReader(opts.paths.logFile);
    this.headers = apiHeaders(opts.apiKey, { username: opts.username, email: opts.email });
    this.gzip = opts.gzip;
    this.observer = {
      hold: () => this.finishing,
      onRetry: ({ kind, waitMs, reason }) => {
        this.lastFailure = `${kind}: ${reason}`;
        if (!this.failing) {
          this.failing = true;
          opts.log.warn(
            `W&B: ${kind} failed (${reason}); retrying in ${(waitMs / 1000).toFixed(1)} s. Nothing is lost: the run is kept in ${opts.paths.logFile}`,
          );
        }
      },
    };
    this.uploader = new Uploader(this.http, opts.net, opts.paths.filesDir, () => this.uploadTarget(), this.abort.signal, this.observer, {
      uploaded: (file) => {
        this.uploadedUnreported.add(file);
        this.failedFiles.delete(file);
      },
      failed: (file, reason) => {
        this.failedFiles.set(file, reason);
        opts.log.warn(`W&B: could not upload ${file}: ${reason}`);
      },
    });
  }

  /** Starts the sending loop (once). */
  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Sends what is in the log now; resolves after one round that started after this call (at most `timeoutMs`). */
  flush(timeoutMs: number): Promise<void> {
    // nothing to wait for when the server is failing: the rows are safe in the log anyway
    if (!this.loopDone || this.done || this.problem || this.failing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.flushWaiters.push({
        after: this.cycles,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.wake?.();
    });
  }

  /**
   * Sends everything up to the exit record and finishes the run on the server, waiting at most
   * `timeoutMs`; then reports what (if anything) is still only in the log.
   */
  async finish(timeoutMs: number): Promise<StreamReport> {
    this.finishing = true;
    this.start();
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    this.wake?.();
    try {
      await this.loopDone;
      await this.uploader.idle();
    } finally {
      clearTimeout(timer);
      if (!this.abort.signal.aborted) this.abort.abort();
      await this.http.close();
      // nobody writes this log any more: a later wandb-sync may take it
      this.cursor.pid = undefined;
      this.saveCursor();
    }
    return this.report();
  }

  get url(): string | undefined {
    const runId = this.cursor.runId ?? this.state.run?.runId;
    return runId ? runUrl(this.opts.baseUrl, this.cursor.entity, this.cursor.project, runId) : undefined;
  }

  // ---- the loop ------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const started = this.cycles++;
        const sent = await this.cycle();
        for (const w of this.flushWaiters.filter((f) => f.after <= started)) {
          this.flushWaiters.splice(this.flushWaiters.indexOf(w), 1);
          w.resolve();
        }
        if (this.done || this.problem) return;
        if (this.backlog) continue;
        if (this.finishing) {
          // finishing only waits when a round could do nothing (e.g. uploads still running)
          if (!sent) await this.pause(100);
          continue;
        }
        await this.pause(this.opts.net.transmitIntervalMs);
      }
    } catch (e) {
      if (!(e instanceof AbortedError)) {
        this.problem ??= (e as Error).message;
        this.opts.log.warn(`W&B: sending stopped: ${(e as Error).message}. The run is kept in ${this.opts.paths.logFile}`);
      }
    } finally {
      for (const w of this.flushWaiters.splice(0)) w.resolve();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      if (!this.finishing) timer.unref();
      const onAbort = () => done();
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      const self = this;
      this.wake = done;
      function done() {
        clearTimeout(timer);
        self.abort.signal.removeEventListener('abort', onAbort);
        self.wake = undefined;
        resolve();
      }
    });
  }

  /** One round; returns whether it sent anything. */
  private async cycle(): Promise<boolean> {
    if (this.abort.signal.aborted) throw new AbortedError('aborted');
    this.readRecords();
    const run = this.state.run;
    if (!run) {
      if (!this.opts.live && this.caughtUp) this.problem = `${this.opts.paths.logFile} has no run record: it is not a W&B run log`;
      return false;
    }
    if (!this.opts.live && this.caughtUp && !this.state.exit) {
      // a log without an exit record: the process died. `wandb sync` finishes such runs as failed.
      this.state.exit = { exitCode: 1, runtime: Math.floor(this.state.runtime) };
      this.state.endConsole();
      this.opts.log.info(`W&B: ${this.opts.paths.logFile} has no exit record (the process was killed?); the run is finished with exit code 1`);
    }
    if (!this.cursor.upserted) await this.upsertRun();
    if (this.gzip === undefined) await this.readFeatures();
    this.queueFiles();
    if (this.finishing && this.state.exit && this.caughtUp && !this.endFiles) this.queueEndFiles();
    if (this.state.configVersion !== this.configSent && (this.finishing || Date.now() - this.lastConfigAt >= CONFIG_DEBOUNCE_MS)) await this.sendConfig();
    if (this.finishing && this.endFiles && this.uploader.pending) await this.uploader.idle();
    return this.postStream();
  }

  private readRecords(): void {
    this.backlog = false;
    for (;;) {
      if (this.state.history.pending >= MAX_PENDING_LINES || this.state.output.pending >= MAX_PENDING_LINES) {
        this.backlog = true;
        this.caughtUp = false;
        return;
      }
      const payload = this.reader.next();
      if (!payload) {
        this.caughtUp = true;
        return;
      }
      try {
        this.state.apply(decodeRecord(payload));
      } catch (e) {
        this.opts.log.warn(`W&B: skipped an unreadable record in ${this.opts.paths.logFile}: ${(e as Error).message}`);
      }
    }
  }

  // ---- GraphQL ---------------------------------------------------------------------------------

  private async graphql<T>(op: 'UpsertBucket' | 'RunResumeStatus' | 'ServerFeaturesQuery', variables: Record<string, unknown>): Promise<T> {
    const req = graphqlRequest(this.opts.baseUrl, this.headers, op, variables, this.opts.net.graphql.timeoutMs);
    const res = await this.http.sendWithRetry(op === 'UpsertBucket' ? 'upsert' : 'graphql', this.opts.net.graphql, req, this.abort.signal, this.observer);
    this.recovered();
    return graphqlData<T>(op, res);
  }

  /** Creates (or finds, for a resumed run) the run on the server; fixes the offsets this log appends at. */
  private async upsertRun(): Promise<void> {
    const run = this.state.run;
    if (!run) return;
    const entity = this.opts.overrides?.entity ?? run.entity ?? null;
    const project = this.opts.overrides?.project ?? run.project ?? null;
    let storageId = run.storageId || undefined;
    let historyBase: number | undefined;
    let outputBase = 0;
    try {
      if (run.resumed && !storageId) {
        const data = await this.graphql<RunResumeStatusData>('RunResumeStatus', { project, entity, name: run.runId });
        const bucket = data.model?.bucket;
        if (bucket) {
          storageId = bucket.id;
          historyBase = bucket.historyLineCount ?? 0;
          outputBase = bucket.logLineCount ?? 0;
        }
      }
      const bucket = (
        await this.graphql<UpsertBucketData>(
          'UpsertBucket',
          upsertVariables({
            id: storageId,
            name: run.runId,
            project,
            entity,
            groupName: run.runGroup,
            displayName: run.displayName,
            notes: run.notes,
            jobType: run.jobType,
            tags: run.tags?.length ? run.tags : undefined,
            host: run.host,
            config: this.state.configJson(),
          }),
        )
      ).upsertBucket.bucket;
      Object.assign(this.cursor, {
        upserted: true,
        entity: bucket.project?.entity.name ?? entity ?? undefined,
        project: bucket.project?.name ?? project ?? undefined,
        runId: bucket.name,
        storageId: bucket.id,
        displayName: bucket.displayName ?? undefined,
        historyBase: historyBase ?? bucket.historyLineCount ?? 0,
        outputBase,
      });
      this.configSent = this.state.configVersion;
      this.lastConfigAt = Date.now();
      this.saveCursor();
    } catch (e) {
      if (e instanceof GraphqlError) throw new Error(`the server refused the run (${e.message})`);
      throw e;
    }
  }

  private async readFeatures(): Promise<void> {
    try {
      const data = await this.graphql<ServerFeaturesData>('ServerFeaturesQuery', {});
      this.gzip = (data.serverInfo?.features ?? []).some((f) => f.name === 'FILESTREAM_GZIP' && f.isEnabled);
    } catch (e) {
      if (!(e instanceof GraphqlError)) throw e;
      this.gzip = false;
    }
  }

  private async sendConfig(): Promise<void> {
    const version = this.state.configVersion;
    try {
      await this.graphql<UpsertBucketData>(
        'UpsertBucket',
        upsertVariables({ name: this.cursor.runId, project: this.cursor.project, entity: this.cursor.entity, config: this.state.configJson() }),
      );
    } catch (e) {
      if (!(e instanceof GraphqlError)) throw e;
      this.opts.log.warn(`W&B: the server refused the config update (${e.message})`);
    }
    this.configSent = version;
    this.lastConfigAt = Date.now();
  }

  // ---- files -----------------------------------------------------------------------------------

  private uploadTarget() {
    return {
      baseUrl: this.opts.baseUrl,
      headers: this.headers,
      entity: this.cursor.entity ?? '',
      project: this.cursor.project ?? '',
      runId: this.cursor.runId ?? this.state.run?.runId ?? '',
    };
  }

  private queueFiles(): void {
    const reported = new Set(this.cursor.reported);
    for (; this.filesQueued < this.state.files.length; this.filesQueued++) {
      const file = this.state.files[this.filesQueued];
      if (!reported.has(file)) this.uploader.enqueue(file);
    }
  }

  /** The end-of-run files the W&B app shows: the summary, the config and the console log. */
  private queueEndFiles(): void {
    const dir = this.opts.paths.filesDir;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'wandb-summary.json'), this.state.summaryJson());
    const config = Object.fromEntries(this.state.config.entries().map(([k, v]) => [k, parseWandb(v)]));
    fs.writeFileSync(path.join(dir, 'config.yaml'), configYaml(config));
    this.endFiles = ['wandb-summary.json', 'config.yaml'];
    if (fs.existsSync(path.join(dir, 'output.log'))) this.endFiles.push('output.log');
    for (const f of this.endFiles) this.uploader.enqueue(f);
  }

  // ---- file_stream -----------------------------------------------------------------------------

  private take(lines: string[]): number {
    let bytes = 0;
    let n = 0;
    while (n < lines.length && n < MAX_LINES_PER_REQUEST) {
      bytes += lines[n].length + 8;
      if (n > 0 && bytes > MAX_BYTES_PER_REQUEST) break;
      n++;
    }
    return n;
  }

  private async postStream(): Promise<boolean> {
    const { history, output } = this.state;
    const nh = this.take(history.lines);
    const no = this.take(output.lines);
    const summaryVersion = this.state.summaryVersion;
    const summaryChanged = summaryVersion !== this.summarySent && (this.state.summary.size > 0 || this.summarySent !== -1);
    const uploaded = [...this.uploadedUnreported];
    const complete =
      this.finishing &&
      this.state.exit !== undefined &&
      this.caughtUp &&
      this.endFiles !== undefined &&
      !this.uploader.pending &&
      nh === history.pending &&
      no === output.pending;
    const preempting = this.state.preempting && !this.preemptSent;
    const heartbeat = this.opts.live && !this.finishing && Date.now() - this.lastPostAt >= this.opts.net.heartbeatMs;
    if (!nh && !no && !summaryChanged && !uploaded.length && !complete && !preempting && !heartbeat) return false;

    const files: Record<string, { offset: number; content: string[] }> = {};
    if (nh) files['wandb-history.jsonl'] = { offset: this.cursor.historyBase + history.from, content: history.lines.slice(0, nh) };
    if (summaryChanged) files['wandb-summary.json'] = { offset: 0, content: [this.state.summaryJson()] };
    if (no) files['output.log'] = { offset: this.cursor.outputBase + output.from, content: output.lines.slice(0, no) };
    const body: Record<string, unknown> = {};
    if (Object.keys(files).length) body.files = files;
    if (uploaded.length) body.uploaded = uploaded;
    if (preempting) body.preempting = true;
    if (complete) {
      body.complete = true;
      body.exitcode = this.state.exit?.exitCode ?? 0;
    }

    if (Date.now() < this.notBefore) await sleep(this.notBefore - Date.now(), this.abort.signal, this.finishing);
    const json = JSON.stringify(body);
    const headers = this.gzip ? { ...this.headers, 'Content-Encoding': 'gzip' } : this.headers;
    const entity = encodeURIComponent(this.cursor.entity ?? '');
    const project = encodeURIComponent(this.cursor.project ?? '');
    const runId = encodeURIComponent(this.cursor.runId ?? '');
    const res = await this.http.sendWithRetry(
      'file_stream',
      this.opts.net.fileStream,
      {
        method: 'POST',
        url: `${this.opts.baseUrl}/files/${entity}/${project}/${runId}/file_stream`,
        headers,
        body: this.gzip ? zlib.gzipSync(json) : json,
        timeoutMs: this.opts.net.fileStream.timeoutMs,
      },
      this.abort.signal,
      this.observer,
    );
    if (!isSuccess(res.status)) {
      throw new Error(`file_stream answered HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
    }
    this.recovered();
    this.lastPostAt = Date.now();
    this.notBefore = this.lastPostAt + rateLimitDelayMs(res.headers);
    history.ack(nh);
    output.ack(no);
    this.cursor.historySent = history.from;
    this.cursor.outputSent = output.from;
    if (summaryChanged) this.summarySent = summaryVersion;
    if (preempting) this.preemptSent = true;
    for (const f of uploaded) {
      this.uploadedUnreported.delete(f);
      if (!this.cursor.reported.includes(f)) this.cursor.reported.push(f);
    }
    if (complete) {
      this.cursor.finished = true;
      this.cursor.exitCode = this.state.exit?.exitCode;
      this.done = true;
    }
    this.saveCursor();
    // lines left after a request mean it hit its size limit: send the next one right away
    if (history.pending || output.pending) this.backlog = true;
    this.noticeStop(res.body);
    return true;
  }

  private noticeStop(body: Buffer): void {
    if (this.stoppedNoticed) return;
    try {
      if ((JSON.parse(body.toString('utf8')) as { stopped?: boolean }).stopped === true) {
        this.stoppedNoticed = true;
        this.opts.log.warn('W&B: the run was stopped in the W&B app; trainkit keeps training and logging (stop it from the terminal)');
      }
    } catch {
      // any answer body is fine
    }
  }

  private recovered(): void {
    if (this.failing) this.opts.log.info('W&B: the server answers again; sending what was kept');
    this.failing = false;
    this.lastFailure = undefined;
  }

  private saveCursor(): void {
    writeCursor(this.opts.paths.cursorFile, this.cursor);
  }

  // ---- report ----------------------------------------------------------------------------------

  private report(): StreamReport {
    // count what the log holds beyond what was read (lines are counted, not kept)
    this.state.history.countOnly = true;
    this.state.output.countOnly = true;
    for (let p = this.reader.next(); p; p = this.reader.next()) {
      try {
        this.state.apply(decodeRecord(p));
      } catch {
        // counted as far as readable
      }
    }
    this.reader.close();
    const reported = new Set(this.cursor.reported);
    const filesLeft = [...new Set([...this.state.files, ...(this.endFiles ?? [])])].filter((f) => !reported.has(f));
    return {
      complete: this.cursor.finished,
      exitCode: this.state.exit?.exitCode,
      historyRows: this.state.history.total,
      historyLeft: this.state.history.total - this.cursor.historySent,
      outputLines: this.state.output.total,
      outputLeft: this.state.output.total - this.cursor.outputSent,
      filesLeft,
      problem: this.problem,
      lastFailure: this.lastFailure,
      url: this.cursor.upserted ? this.url : undefined,
    };
  }
}
