import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetSettings } from '../settings/resolve-settings.js';
import { type CreateRunFilesData, graphqlData, graphqlRequest } from './graphql.js';
import type { HttpClient } from './http-client.js';
import { AbortedError, type RetryObserver, isSuccess } from './retry.js';

export interface UploadTarget {
  baseUrl: string;
  headers: Record<string, string>;
  entity: string;
  project: string;
  runId: string;
}

const BATCH = 50;
const PARALLEL = 4;

/**
 * Uploads run files (media, end-of-run files): asks the server for upload URLs (CreateRunFiles),
 * then PUTs the bytes with the headers it named and no credentials (the URLs are signed, often
 * for another host). Runs beside the file stream; reports each finished file.
 */
export class Uploader {
  private readonly queue: string[] = [];
  private active: Promise<void> | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly http: HttpClient,
    private readonly net: NetSettings,
    private readonly filesDir: string,
    private readonly target: () => UploadTarget,
    private readonly signal: AbortSignal,
    private readonly observer: RetryObserver,
    private readonly events: { uploaded(file: string): void; failed(file: string, reason: string, permanent: boolean): void },
  ) {}

  enqueue(file: string): void {
    this.queue.push(file);
    this.kick();
  }

  private kick(): void {
    if (this.active) return;
    if (!this.queue.length || this.signal.aborted) {
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    this.active = this.drain().finally(() => {
      this.active = undefined;
      this.kick();
    });
  }

  /** Files queued or being uploaded. */
  get pending(): number {
    return this.queue.length + (this.active ? 1 : 0);
  }

  /** Resolves once nothing is in flight (everything uploaded, failed, or the run gave up waiting). */
  idle(): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.signal.aborted) {
      const batch = this.queue.splice(0, BATCH);
      try {
        await this.uploadBatch(batch);
      } catch (e) {
        if (e instanceof AbortedError) {
          this.queue.unshift(...batch);
          return;
        }
        for (const f of batch) this.events.failed(f, (e as Error).message, false);
      }
    }
  }

  private async uploadBatch(files: string[]): Promise<void> {
    const present = files.filter((f) => {
      if (fs.existsSync(path.join(this.filesDir, f))) return true;
      this.events.failed(f, `the file ${path.join(this.filesDir, f)} is missing`, true);
      return false;
    });
    if (!present.length) return;
    const t = this.target();
    const req = graphqlRequest(
      t.baseUrl,
      t.headers,
      'CreateRunFiles',
      { entity: t.entity, project: t.project, run: t.runId, files: present },
      this.net.graphql.timeoutMs,
    );
    const res = await this.http.sendWithRetry('graphql', this.net.graphql, req, this.signal, this.observer);
    const data = graphqlData<CreateRunFilesData>('CreateRunFiles', res).createRunFiles;
    if (data.files.length !== present.length) throw new Error(`CreateRunFiles answered ${data.files.length} files for ${present.length}`);
    const headers: Record<string, string> = {};
    for (const h of data.uploadHeaders ?? []) {
      const i = h.indexOf(':');
      if (i > 0) headers[h.slice(0, i)] = h.slice(i + 1);
    }
    const jobs = data.files.map((f) => async () => {
      if (!f.uploadUrl) {
        // the server needs no upload for this one
        this.events.uploaded(f.name);
        return;
      }
      await this.put(f.name, f.uploadUrl, headers);
    });
    for (let i = 0; i < jobs.length; i += PARALLEL) await Promise.all(jobs.slice(i, i + PARALLEL).map((j) => j()));
  }

  private async put(name: string, url: string, headers: Record<string, string>): Promise<void> {
    let body: Buffer;
    try {
      body = fs.readFileSync(path.join(this.filesDir, name));
    } catch (e) {
      this.events.failed(name, (e as Error).message, true);
      return;
    }
    try {
      const res = await this.http.sendWithRetry(
        'upload',
        this.net.upload,
        { method: 'PUT', url, headers, body, timeoutMs: this.net.upload.timeoutMs },
        this.signal,
        this.observer,
      );
      if (isSuccess(res.status)) this.events.uploaded(name);
      else this.events.failed(name, `upload answered HTTP ${res.status}`, false);
    } catch (e) {
      if (e instanceof AbortedError) throw e;
      this.events.failed(name, (e as Error).message, false);
    }
  }
}
