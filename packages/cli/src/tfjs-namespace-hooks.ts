/**
 * Module hooks that give Node the ES module namespace of TensorFlow.js's CommonJS bundle as a
 * ready-made module, instead of Node deriving it: Node finds the names a CommonJS module exports
 * by lexing its source, and for `@tensorflow/tfjs` that means lexing the seven bundles it
 * re-exports (about 10 MB of JavaScript, a third to half a second at every start). The names are
 * known once the bundle is loaded with `require`, which the namespace below uses, so the
 * instances are the very same as everyone else's. Registered by `./tfjs-namespace.ts`.
 */

export interface NamespaceData {
  /** file: URL of the bundle as ES modules resolve it. */
  url: string;
  /** Its path, for `require`. */
  file: string;
  /** Its exported names (own enumerable keys of `module.exports`). */
  names: string[];
}

let data: NamespaceData | undefined;

/** `module.register()` hands the data here (the hooks thread of Node < 22.15). */
export function initialize(d: NamespaceData): void {
  data = d;
}

/** The ES module source: `default` is `module.exports`, as for any CommonJS module. */
export function namespaceSource(d: NamespaceData): string {
  const locals = d.names.map((name, i) => `${JSON.stringify(name)}: _${i}`).join(', ');
  const exported = d.names.map((name, i) => `_${i} as ${JSON.stringify(name)}`).join(', ');
  return [
    "import { createRequire } from 'node:module';",
    `const tf = createRequire(${JSON.stringify(d.url)})(${JSON.stringify(d.file)});`,
    'export default tf;',
    // for tests: shows that this namespace, not Node's, was used
    "globalThis[Symbol.for('@trainkit/cli.tfjs-namespace')] = true;",
    `const { ${locals} } = tf;`,
    `export { ${exported} };`,
  ].join('\n');
}

type LoadResult = { format: string; source: string; shortCircuit: true };

export async function load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Promise<unknown>): Promise<unknown> {
  if (data && url === data.url) return { format: 'module', source: namespaceSource(data), shortCircuit: true } satisfies LoadResult;
  return nextLoad(url, context);
}
