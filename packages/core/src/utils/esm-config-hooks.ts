/**
 * Node module hooks, chained after tsx's: a TypeScript file imported with the `?trainkit-esm`
 * mark, and the project's TypeScript files it imports, load as ES modules whatever the nearest
 * package.json says. tsx alone fails on a config in a CommonJS (or package.json-less) folder on
 * Node 20.19+ (ERR_REQUIRE_CYCLE_MODULE), and on Node 22.15+ hands it to require(). Marked files
 * are compiled here with esbuild (tsx's own compiler); tsx still resolves what they import.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// esbuild is an optional peer of core (the CLI brings it): loaded only when a TS file is compiled
let esbuild: typeof import('esbuild') | undefined;
function transformSync(...args: Parameters<typeof import('esbuild').transformSync>) {
  esbuild ??= createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return esbuild.transformSync(...args);
}

const ESM_MARK = 'trainkit-esm';

const TS_PATH = /\.(m?ts|tsx)$/;

export interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
export interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type Context = { parentURL?: string };

/** Marks a `.ts` / `.mts` / `.tsx` file URL to load as an ES module (`.cts` stays CommonJS). */
export function markForEsm(url: URL): void {
  if (TS_PATH.test(url.pathname)) url.searchParams.set(ESM_MARK, '');
}

function isMarkedTypeScript(url: string | undefined): url is string {
  if (!url?.startsWith('file:')) return false;
  const u = new URL(url);
  return u.searchParams.has(ESM_MARK) && TS_PATH.test(u.pathname);
}

/** A marked file resolves to itself, as an ES module. */
function itself(url: string): ResolveResult {
  return { url, format: 'module', shortCircuit: true };
}

/** The project's TypeScript files a marked file imports are marked too (node_modules are not). */
function markImported(result: ResolveResult, parentURL: string | undefined): ResolveResult {
  if (!isMarkedTypeScript(parentURL) || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  if (!TS_PATH.test(url.pathname)) return result;
  url.searchParams.set(ESM_MARK, '');
  return { ...result, url: url.href, format: 'module' };
}

/** Marked TypeScript, compiled to an ES module. */
function compile(url: string): LoadResult {
  const file = fileURLToPath(url);
  const { code } = transformSync(fs.readFileSync(file, 'utf8'), {
    loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}

// In-thread hooks (`module.registerHooks`, Node 22.15+), where tsx registers its own.
export function resolveSync(specifier: string, context: Context, next: (s: string, c: Context) => ResolveResult): ResolveResult {
  return isMarkedTypeScript(specifier) ? itself(specifier) : markImported(next(specifier, context), context.parentURL);
}

export function loadSync(url: string, context: object, next: (u: string, c: object) => LoadResult): LoadResult {
  return isMarkedTypeScript(url) ? compile(url) : next(url, context);
}

// Off-thread hooks (`module.register`), for Node versions without `module.registerHooks`.
export async function resolve(specifier: string, context: Context, next: (s: string, c: Context) => Promise<ResolveResult>): Promise<ResolveResult> {
  return isMarkedTypeScript(specifier) ? itself(specifier) : markImported(await next(specifier, context), context.parentURL);
}

export async function load(url: string, context: object, next: (u: string, c: object) => Promise<LoadResult>): Promise<LoadResult> {
  return isMarkedTypeScript(url) ? compile(url) : next(url, context);
}
