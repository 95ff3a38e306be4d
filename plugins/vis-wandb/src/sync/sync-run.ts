import * as fs from 'node:fs';
import { runPathsFor } from '../run/run-dir.js';
import type { NetSettings } from '../settings/resolve-settings.js';
import { isOtherProcessAlive, readCursor, writeCursor } from '../stream/cursor.js';
import { RunStreamer, type StreamReport } from '../stream/run-streamer.js';

export interface SyncOptions {
  baseUrl: string;
  apiKey: string;
  net: NetSettings;
  entity?: string;
  project?: string;
  /** send runs again that are already complete on the server */
  includeSynced?: boolean;
  /** give up waiting for a failing server after this long */
  timeoutMs: number;
  log: { warn(message: string): void; info(message: string): void };
}

export interface SyncResult {
  logFile: string;
  status: 'synced' | 'skipped' | 'failed';
  reason?: string;
  report?: StreamReport;
}

/**
 * Uploads one run log (offline run, or what an online run could not send) and finishes the run,
 * continuing from what the server already acknowledged.
 */
export async function syncRun(logFile: string, opts: SyncOptions): Promise<SyncResult> {
  const paths = runPathsFor(logFile);
  const cursor = readCursor(paths.cursorFile);
  if (cursor && isOtherProcessAlive(cursor.pid)) {
    return { logFile, status: 'skipped', reason: `process ${cursor.pid} is still writing it` };
  }
  const synced = fs.existsSync(paths.syncedMarker) || cursor?.finished === true;
  if (synced && !opts.includeSynced) return { logFile, status: 'skipped', reason: 'already synced (use --include-synced to send it again)' };
  if (synced && cursor) {
    // keep where the run lives and its offsets, send every line again (same offsets: no duplicates)
    writeCursor(paths.cursorFile, { ...cursor, historySent: 0, outputSent: 0, reported: [], finished: false, pid: undefined });
  }
  const streamer = new RunStreamer({
    paths,
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    net: opts.net,
    live: false,
    overrides: { entity: opts.entity, project: opts.project },
    log: opts.log,
  });
  const report = await streamer.finish(opts.timeoutMs);
  if (!report.complete) {
    return { logFile, status: 'failed', reason: report.problem ?? report.lastFailure ?? 'the server did not take everything in time', report };
  }
  fs.writeFileSync(paths.syncedMarker, '');
  return { logFile, status: 'synced', report };
}
