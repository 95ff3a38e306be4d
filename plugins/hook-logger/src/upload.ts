import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@trainkit/core';

/** Files under `dir` (recursively) whose names end with one of `suffixes`, as relative paths. */
export function filesWithSuffix(dir: string, suffixes: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && suffixes.some((s) => entry.name.endsWith(s))) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

export interface UploadOptions {
  logDir: string;
  outDir: string;
  suffixes: string[];
  keepLocal: boolean;
  logger: Logger;
}

/**
 * Copies the run's log files to `outDir` keeping their relative paths. The text log is copied
 * last, after the other copies were logged, so the copy holds those lines too; with
 * `keepLocal: false` the logger's file is closed before the local copies are removed.
 */
export function uploadLogs({ logDir, outDir, suffixes, keepLocal, logger }: UploadOptions): string[] {
  const files = filesWithSuffix(logDir, suffixes);
  const textLog = logger.file ? path.relative(logDir, logger.file) : undefined;
  const ordered = [...files.filter((f) => f !== textLog), ...files.filter((f) => f === textLog)];
  for (const rel of ordered) {
    const src = path.join(logDir, rel);
    const dst = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    logger.info(`The file ${src} has been uploaded to ${dst}.`);
    if (!keepLocal) logger.info(`${src} will be removed because keep_local is false; the copy is ${dst}.`);
    fs.copyFileSync(src, dst);
  }
  if (!keepLocal) {
    if (textLog && ordered.includes(textLog)) logger.closeFile();
    for (const rel of ordered) fs.rmSync(path.join(logDir, rel), { force: true });
  }
  return ordered.map((rel) => path.join(outDir, rel));
}
