import { pathToFileURL } from 'node:url';

let tsHooks: Promise<unknown> | undefined;

const TS_FILE = /\.(c|m)?tsx?$/;

/**
 * Imports a JS or TS file by path. TypeScript goes through tsx's Node loader hooks, registered
 * once for the process, so packages the file imports resolve to the very same module instances
 * as ours (one registry, one tfjs).
 */
export async function importFile(file: string): Promise<Record<string, unknown>> {
  if (TS_FILE.test(file) && !process.versions.bun && !isUnderVitest()) {
    tsHooks ??= import('tsx/esm/api').then((m) => m.register());
    await tsHooks;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Vitest compiles TS itself; a second loader there would be in the way. */
function isUnderVitest(): boolean {
  return Boolean(process.env.VITEST);
}
