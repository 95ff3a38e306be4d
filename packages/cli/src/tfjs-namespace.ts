import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { type NamespaceData, namespaceSource } from './tfjs-namespace-hooks.js';

type SyncLoad = (url: string, context: unknown, nextLoad: (url: string, context: unknown) => unknown) => unknown;
/** Node 22.15+'s in-thread hooks (not yet in @types/node 20). */
type RegisterHooks = (hooks: { load: SyncLoad }) => void;

/**
 * Before a command imports core: loads TensorFlow.js with `require` and registers module hooks
 * that hand ES modules its namespace from the names it exports (see tfjs-namespace-hooks.ts).
 * Anything unexpected (no tfjs where core finds it, hooks unavailable) leaves Node's own way in
 * place: this only makes the start faster, it never decides whether it works.
 */
export function preloadTfjsNamespace(): void {
  if (process.env.TRAINKIT_NO_TFJS_NAMESPACE) return;
  let d: NamespaceData;
  try {
    // resolved from core's folder, where core's own `import '@tensorflow/tfjs'` resolves it
    const fromCore = nodeModule.createRequire(nodeModule.createRequire(import.meta.url).resolve('@trainkit/core/package.json'));
    const file = fromCore.resolve('@tensorflow/tfjs');
    const names = Object.keys(fromCore(file) as object).filter((n) => n !== 'default');
    d = { url: pathToFileURL(file).href, file, names };
  } catch {
    return;
  }
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  try {
    if (registerHooks) {
      const source = namespaceSource(d);
      registerHooks({ load: (url, context, nextLoad) => (url === d.url ? { format: 'module', source, shortCircuit: true } : nextLoad(url, context)) });
    } else {
      nodeModule.register(new URL('./tfjs-namespace-hooks.js', import.meta.url), { data: d });
    }
  } catch {
    // e.g. run from sources, where the hooks file is TypeScript: Node's own namespace it is
  }
}
