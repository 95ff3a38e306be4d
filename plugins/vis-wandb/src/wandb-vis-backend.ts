import * as os from 'node:os';
import { type RawImage, type RunStatus, TrainkitError, type VisBackend, getLogger, parseOptions } from '@trainkit/core';
import { wandbHistogram } from './json/histogram.js';
import { stringifyWandb } from './json/wandb-json.js';
import { toPlain } from './json/to-plain.js';
import { type ParsedWandbOptions, type WandbVisBackendOptions, wandbVisBackendOptions } from './options.js';
import type { Item, RunInfo } from './record/messages.js';
import { parseDefineMetricCfg } from './run/metric-defs.js';
import { type RunPaths, createRunDir } from './run/run-dir.js';
import { RunWriter } from './run/run-writer.js';
import { runUrl } from './net/headers.js';
import { apiKeyProblem } from './settings/api-key.js';
import { type Mode, type Settings, resolveSettings } from './settings/resolve-settings.js';
import { clearResumeId, writeResumeId } from './settings/run-id.js';
import { type Handshake, ServerUnreachable, handshake } from './start/handshake.js';
import { emptyCursor, writeCursor } from './stream/cursor.js';
import { RunStreamer, type StreamReport } from './stream/run-streamer.js';

const FLUSH_WAIT_MS = 5_000;
const RUN_FAILED = / - ERROR - run failed: /;

/**
 * MMEngine's WandbVisBackend for trainkit, speaking W&B's HTTP protocol itself (no Python).
 *
 * Everything logged is first written to the run's `.wandb` record log in W&B's offline format,
 * synchronously and cheaply; in online mode a background sender streams that log to the server.
 * So a failing or unreachable server, or a killed process, loses nothing: the log is uploaded
 * when the server is back, or later by `trainkit wandb-sync` (or the official `wandb sync`).
 */
export class WandbVisBackend implements VisBackend {
  readonly name: string | undefined;
  readonly mode: Mode;
  readonly settings: Settings;
  private readonly options: ParsedWandbOptions;
  private readonly metrics: ReturnType<typeof parseDefineMetricCfg>;
  private runPaths: RunPaths | undefined;
  private writer: RunWriter | undefined;
  private streamer: RunStreamer | undefined;
  private starting: Promise<void> | undefined;
  private readonly includeKeys: Set<string> | undefined;
  private readonly excludeKeys: Set<string>;
  private exitCode: number | undefined;
  private failed = false;
  private closing: Promise<void> | undefined;
  private report: StreamReport | undefined;
  private readonly onExit = (code: number) => this.abandon(code);
  private readonly onBeforeExit = () => void this.close();

  constructor(options: WandbVisBackendOptions = {}) {
    const o = parseOptions(wandbVisBackendOptions, options, 'WandbVisBackend', 'WandbVisBackend');
    this.options = o;
    this.name = o.name;
    this.settings = resolveSettings(o);
    this.mode = this.settings.mode;
    const log = getLogger();
    for (const w of this.settings.warnings) log.warn(w);
    const k = o.init_kwargs ?? {};
    this.includeKeys = k.config_include_keys ? new Set(k.config_include_keys) : undefined;
    this.excludeKeys = new Set(k.config_exclude_keys ?? []);
    this.metrics = parseDefineMetricCfg(o.define_metric_cfg);
    if (this.mode === 'disabled') return;
    if (o.watch_kwargs) log.info('W&B: watch_kwargs has no effect: trainkit logs no gradient or parameter histograms to W&B');
    if (o.log_code_name) log.warn('W&B: log_code_name is ignored: code upload (a W&B artifact) is not supported by @trainkit/vis-wandb');
    // a missing or malformed key is found here, before anything is sent
    if (this.mode === 'online') this.checkApiKey();
  }

  /** the run folder (`.../wandb/run-<time>-<id>`), undefined when disabled or not started */
  get paths(): RunPaths | undefined {
    return this.runPaths;
  }

  /**
   * Creates the run: in online mode logs in and creates (or resumes) it on the server first, so a
   * refused key or a resume conflict fails here, before training; then the run folder, its record
   * log and (online) the background sender. Awaited by the Visualizer; idempotent.
   */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  private async open(): Promise<void> {
    if (this.mode === 'disabled') return;
    const log = getLogger();
    const s = this.settings;
    const k = this.options.init_kwargs ?? {};
    const initialConfig = this.configItems((toPlain(k.config ?? {}) as Record<string, unknown>) ?? {});

    let hs: Handshake | undefined;
    if (this.mode === 'online') hs = await this.startOnline(initialConfig);

    const start = new Date();
    const paths = createRunDir(s.wandbDir, this.mode === 'offline', hs?.runId ?? s.runId, start);
    this.runPaths = paths;
    const config = mergeItems(hs?.previousConfig ?? [], initialConfig);
    const run: RunInfo = {
      runId: hs?.runId ?? s.runId,
      entity: hs?.entity ?? s.entity,
      project: hs?.project ?? s.project,
      config,
      summary: hs?.previousSummary,
      runGroup: s.group,
      jobType: s.jobType,
      displayName: hs?.displayName ?? s.displayName,
      notes: hs?.notes ?? s.notes,
      tags: hs?.tags ?? s.tags,
      host: os.hostname(),
      startingStep: hs?.startingStep,
      storageId: hs?.storageId,
      startTime: { seconds: Math.floor(start.getTime() / 1000), nanos: (start.getTime() % 1000) * 1e6 },
      resumed: hs ? hs.resumed : Boolean(s.resume),
      runtime: hs ? Math.floor(hs.startingRuntime) : undefined,
    };
    if (this.mode === 'online') {
      // the cursor says the run exists already (or not yet, when the server was unreachable)
      writeCursor(paths.cursorFile, {
        ...emptyCursor(),
        pid: process.pid,
        baseUrl: s.baseUrl,
        ...(hs && {
          upserted: true,
          entity: hs.entity,
          project: hs.project,
          runId: hs.runId,
          storageId: hs.storageId,
          displayName: hs.displayName,
          historyBase: hs.historyBase,
          outputBase: hs.outputBase,
        }),
      });
    }
    this.writer = new RunWriter(paths, run, {
      startingStep: hs?.startingStep ?? 0,
      startingRuntime: hs?.startingRuntime ?? 0,
      metrics: this.metrics,
      allowValChange: Boolean(k.allow_val_change),
      warn: (m) => log.warn(m),
    });
    if (s.resume === 'auto') writeResumeId(s.wandbDir, run.runId);

    if (this.mode === 'online') {
      this.streamer = new RunStreamer({
        paths,
        baseUrl: s.baseUrl,
        apiKey: s.apiKey as string,
        net: s.net,
        username: s.username,
        email: s.email,
        live: true,
        gzip: hs?.gzip,
        log: { warn: (m) => log.warn(m), info: (m) => log.info(m) },
      });
      // the sender reads the log on its own schedule: appending costs the training path nothing more
      this.streamer.start();
      log.info(
        `W&B: logging to ${hs ? runUrl(s.baseUrl, hs.entity, hs.project, hs.runId) : `run ${run.runId} (the server is not reachable yet)`}; local copy ${paths.dir}`,
      );
    } else {
      log.info(`W&B: offline run in ${paths.dir}; upload it with \`trainkit wandb-sync ${paths.dir}\` (or \`wandb sync\`)`);
    }
    // an exiting process writes the exit code into the log; an idle one finishes the run first
    process.on('exit', this.onExit);
    process.on('beforeExit', this.onBeforeExit);
  }

  private checkApiKey(): void {
    const s = this.settings;
    if (!s.apiKey) {
      throw new TrainkitError(
        `W&B online mode needs an API key, and none was found (WANDB_API_KEY is unset and ~/.netrc has no entry for ${new URL(s.baseUrl).hostname})\n` +
          '  fix: set WANDB_API_KEY, run `wandb login`, or use init_kwargs.mode "offline" (or WANDB_MODE=offline) and upload later with `trainkit wandb-sync`',
      );
    }
    const problem = apiKeyProblem(s.apiKey);
    if (problem) {
      throw new TrainkitError(
        `the W&B API key from ${s.apiKeySource} is malformed: ${problem}\n  fix: copy the key again (https://wandb.ai/authorize for W&B cloud)`,
      );
    }
  }

  /** Log in and create (or resume) the run before any training happens. */
  private async startOnline(initialConfig: Item[]): Promise<Handshake | undefined> {
    const s = this.settings;
    try {
      return await handshake(s, initialConfig, os.hostname());
    } catch (e) {
      if (!(e instanceof ServerUnreachable)) throw e;
      if (s.resume) {
        throw new TrainkitError(
          `W&B cannot resume run ${s.runId}: the server did not answer (${e.message})\n  fix: check the network and WANDB_BASE_URL, or train with mode "offline"`,
        );
      }
      getLogger().warn(`W&B: the server did not answer (${e.message}); logging to the local run log and sending once it answers`);
      return undefined;
    }
  }

  private configItems(values: Record<string, unknown>): Item[] {
    return Object.entries(this.filterConfig(values)).map(([key, v]) => ({ key, valueJson: stringifyWandb(v) }));
  }

  private filterConfig(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).filter(([key]) => (!this.includeKeys || this.includeKeys.has(key)) && !this.excludeKeys.has(key)));
  }

  /** The run's writer; undefined when disabled; a clear error when used before `start()`. */
  private live(what: string): RunWriter | undefined {
    if (this.mode === 'disabled') return undefined;
    if (!this.writer) {
      throw new TrainkitError(
        `WandbVisBackend.${what} was called before the backend started\n  fix: await backend.start() first (a Visualizer and the runner do this for you)`,
      );
    }
    return this.writer;
  }

  // ---- VisBackend --------------------------------------------------------------------------------

  addConfig(config: Record<string, unknown>, _text?: string): void {
    this.live('addConfig')?.updateConfig(this.filterConfig(toPlain(config) as Record<string, unknown>));
  }

  /** The training path: encode and append to the run log; the network is the sender's business. */
  addScalars(scalars: Record<string, number>, _step?: number, _filePath?: string): void {
    // like MMEngine, the step is W&B's own row counter (`_step`), not the caller's step
    this.live('addScalars')?.logScalars(scalars, this.options.commit);
  }

  addScalar(name: string, value: number, _step?: number): void {
    this.live('addScalar')?.logScalars({ [name]: value }, this.options.commit);
  }

  addImage(name: string, image: RawImage, _step?: number): void {
    this.live('addImage')?.logImage(name, image, this.options.commit);
  }

  /** W&B's histogram (64 equal-width bins, as wandb.Histogram); it joins the next committed row, as wandb.watch's do. */
  addHistogram(name: string, values: ArrayLike<number>, _step?: number): void {
    this.live('addHistogram')?.logValue(name, JSON.stringify(wandbHistogram(values)), false);
  }

  addText(name: string, text: string, _step?: number): void {
    this.live('addText')?.logValue(name, JSON.stringify(text), this.options.commit);
  }

  addHparams(hparams: Record<string, unknown>, metrics: Record<string, number>): void {
    const writer = this.live('addHparams');
    writer?.updateConfig(toPlain(hparams) as Record<string, unknown>);
    writer?.updateSummary(metrics);
  }

  addLogLine(line: string): void {
    // a close without a status (a visualizer closed by hand) still learns of a failed run from
    // the runner's "run failed" error line, which LoggerHook forwards like every console line
    if (this.exitCode === undefined && RUN_FAILED.test(line)) this.failed = true;
    this.live('addLogLine')?.output(line);
  }

  /** W&B history only grows: rows logged after `step` by an interrupted run stay; new rows follow them. */
  resumeFrom(_step: number): void {}

  /** Asks the sender to send now; waits a few seconds at most (never for a failing server). */
  async flush(): Promise<void> {
    await this.streamer?.flush(FLUSH_WAIT_MS);
  }

  /** The exit code `close` reports to W&B (default: the run status given to `close`, else `process.exitCode`, else 1 after a "run failed" log line, else 0). */
  setExitCode(code: number): void {
    this.exitCode = code;
  }

  /**
   * Finishes the run with the runner's exit code (`status`), writes the exit record and waits (at
   * most `close_timeout`) for the server to take the rest.
   */
  close(status?: RunStatus): Promise<void> {
    if (status && this.exitCode === undefined) this.exitCode = status.exitCode;
    // a start still under way finishes first; a failed one left nothing to close
    this.closing ??= (this.starting ?? Promise.resolve()).then(
      () => this.finish(),
      () => {},
    );
    return this.closing;
  }

  /** What the server had when the run closed (online mode). */
  get lastReport(): StreamReport | undefined {
    return this.report;
  }

  get runId(): string | undefined {
    return this.paths?.runId;
  }

  get url(): string | undefined {
    return this.streamer?.url;
  }

  private async finish(): Promise<void> {
    const writer = this.writer;
    if (!writer || writer.isClosed) return;
    process.off('exit', this.onExit);
    process.off('beforeExit', this.onBeforeExit);
    const code = this.exitCode ?? (typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : this.failed ? 1 : 0);
    writer.exit(code);
    const log = getLogger();
    const dir = this.paths?.dir as string;
    try {
      if (this.streamer) {
        const r = await this.streamer.finish(this.options.close_timeout * 1000);
        this.report = r;
        if (r.complete) {
          log.info(`W&B: run finished (exit code ${code}): ${r.url}`);
          if (this.settings.resume === 'auto' && code === 0) clearResumeId(this.settings.wandbDir);
        } else {
          const left = [
            r.historyLeft && `${r.historyLeft} of ${r.historyRows} history rows`,
            r.outputLeft && `${r.outputLeft} console lines`,
            r.filesLeft.length && `${r.filesLeft.length} files`,
            'the end of the run',
          ].filter(Boolean);
          const why =
            r.problem ??
            (r.lastFailure ? `the server kept failing (${r.lastFailure})` : `the server did not take everything within ${this.options.close_timeout} s`);
          log.warn(`W&B: ${why}. Not yet on the server: ${left.join(', ')}. Kept in ${this.paths?.logFile}; upload with \`trainkit wandb-sync ${dir}\``);
        }
      } else if (code === 0 && this.settings.resume === 'auto') {
        clearResumeId(this.settings.wandbDir);
      }
    } finally {
      writer.close();
    }
  }

  /** The process is exiting without `close`: record the exit code so a later sync finishes the run right. */
  private abandon(code: number): void {
    const writer = this.writer;
    if (!writer || writer.isClosed) return;
    try {
      writer.exit(this.exitCode ?? code);
      writer.close();
    } catch {
      // exiting anyway
    }
  }
}

function mergeItems(old: Item[], next: Item[]): Item[] {
  const map = new Map(old.map((it) => [it.key, it]));
  for (const it of next) map.set(it.key, it);
  return [...map.values()];
}
