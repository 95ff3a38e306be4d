import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TrainkitError } from '../errors.js';

/** Where a loaded copy of @trainkit/core lives. */
export interface CoreCopy {
  dir: string;
  version: string;
  url: string;
}

const KEY = Symbol.for('@trainkit/core.loaded');

function thisCopy(): CoreCopy {
  const dir = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
  let version = '?';
  try {
    version = (JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8')) as { version?: string }).version ?? '?';
  } catch {}
  return { dir, version, url: import.meta.url };
}

/**
 * One core per process: a second copy (a plugin linked with `npm link` / `file:` that brings its
 * own node_modules, or a duplicated dependency) would keep its own registries, and the types its
 * plugins register would be invisible to the runner. The first copy marks the process; a second
 * one fails as it loads, naming both. The same file evaluated again (test runners re-run modules)
 * is the same copy.
 */
export function claimProcess(): CoreCopy {
  const me = thisCopy();
  const g = globalThis as { [KEY]?: CoreCopy };
  const first = g[KEY];
  if (first && first.url !== me.url) throw new DuplicateCoreError(first, me);
  g[KEY] = me;
  return me;
}

export class DuplicateCoreError extends TrainkitError {
  override name = 'DuplicateCoreError';
  constructor(
    readonly first: CoreCopy,
    readonly second: CoreCopy,
  ) {
    super(
      [
        'two copies of @trainkit/core are loaded in this process, each with its own registries:',
        `  first:  ${first.dir} (${first.version})`,
        `  second: ${second.dir} (${second.version})`,
        '  fix: a plugin must list @trainkit/core under peerDependencies (a devDependency for its tests), never dependencies;',
        '       a linked plugin (npm link, file:, a workspace) must not resolve its own core: install it from its tarball',
        '       (npm pack in the plugin, then npm install ../plugin/<name>-<version>.tgz), or run npm dedupe / pnpm dedupe.',
      ].join('\n'),
    );
  }
}
