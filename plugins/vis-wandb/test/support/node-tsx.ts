import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `node --import tsx` arguments for child processes that run TypeScript sources of the workspace
 * (tsx comes with @trainkit/core; `@trainkit/source` makes workspace packages resolve to sources).
 */
export function nodeTsxArgs(script: string): string[] {
  const fromCore = createRequire(createRequire(import.meta.url).resolve('@trainkit/core/package.json'));
  const tsx = pathToFileURL(fromCore.resolve('tsx')).href;
  return ['--conditions=@trainkit/source', '--import', tsx, path.resolve(script)];
}
