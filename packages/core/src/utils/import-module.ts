import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { TrainkitError } from '../errors.js';
import { loadSync, markForEsm, resolveSync } from './esm-config-hooks.js';

/** Node 22.15+'s in-thread hooks (not yet in @types/node 20). */
type RegisterHooks = (hooks: { resolve: typeof resolveSync; load: typeof loadSync }) => void;

let tsHooks: Promise<unknown> | undefined;

const TS_FILE = /\.(c|m)?tsx?$/;

/**
 * Imports a JS or TS file by path. TypeScript goes through tsx's Node loader hooks, registered
 * once for the process, so packages the file imports resolve to the very same module instances
 * as ours (one registry, one tfjs). TypeScript files load as ES modules wherever they are (see
 * esm-config-hooks.ts).
 */
export async function importFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file);
  if (TS_FILE.test(file) && !process.versions.bun && !isUnderVitest()) {
    tsHooks ??= importTypeScriptTools(file).then((m) => {
      m.register();
      // ours go after tsx's, in the same chain: tsx uses the in-thread one where Node has it
      const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
      if (registerHooks) registerHooks({ resolve: resolveSync, load: loadSync });
      else nodeModule.register(new URL('./esm-config-hooks.js', import.meta.url));
    });
    await tsHooks;
    markForEsm(url);
  }
  return (await import(url.href)) as Record<string, unknown>;
}

/**
 * tsx and esbuild compile TypeScript configs and plugins. They are optional peers of core,
 * dependencies of @trainkit/cli: a program that imports only JavaScript never installs them.
 */
async function importTypeScriptTools(file: string): Promise<typeof import('tsx/esm/api')> {
  try {
    nodeModule.createRequire(import.meta.url).resolve('esbuild');
    return await import('tsx/esm/api');
  } catch (e) {
    tsHooks = undefined;
    throw new TrainkitError(
      `cannot load ${file}: TypeScript files need the packages tsx and esbuild (${(e as Error).message.split('\n')[0]})\n  fix: npm install tsx esbuild (both come with @trainkit/cli), or write the file as .js / .mjs`,
    );
  }
}

/** Vitest compiles TS itself; a second loader there would be in the way. */
function isUnderVitest(): boolean {
  return Boolean(process.env.VITEST);
}
