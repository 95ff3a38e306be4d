/**
 * Node module hooks (registered after tsx's): a TypeScript file imported with the `?trainkit-esm`
 * mark, and the project's TypeScript files it imports, load as ES modules whatever the nearest
 * package.json says. Without this, a config in a CommonJS (or package.json-less) folder fails
 * under tsx on Node 20.19+ with ERR_REQUIRE_CYCLE_MODULE.
 */
export const ESM_MARK = 'trainkit-esm';

const TS_PATH = /\.tsx?$/;

interface ResolveResult {
  url: string;
  format?: string | null;
}
type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<ResolveResult>;

function marked(url: string | undefined): boolean {
  return url !== undefined && new URL(url).searchParams.has(ESM_MARK);
}

export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  if (!result.url.startsWith('file:')) return result;
  const url = new URL(result.url);
  if (!TS_PATH.test(url.pathname)) return result;
  if (marked(result.url)) return { ...result, format: 'module' };
  if (marked(context.parentURL) && !url.pathname.includes('/node_modules/')) {
    url.searchParams.set(ESM_MARK, '');
    return { ...result, url: url.href, format: 'module' };
  }
  return result;
}
