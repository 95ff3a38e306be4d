import * as tf from '@tensorflow/tfjs';
import { getLogger } from '../logging/logger.js';
import { BACKENDS } from '../registry/root.js';

/** What one `releaseCaches` call gave back to the device. */
export interface ReleasedCaches {
  buffers: number;
  textures: number;
  bytes: number;
  /** Why nothing could be released, for backends that pool nothing (shown once by EmptyCacheHook). */
  note?: string;
}

/**
 * What a backend entry declares about itself, so that core decides by capability and never by
 * backend name. Every field is optional: a backend that declares nothing (a third-party one)
 * gets the safe default given for each field, and features that need a capability it lacks
 * are refused with a message naming the field.
 */
export interface BackendCapabilities {
  /**
   * True where `dataSync()` works. Default false: the runtime then reads tensors only with
   * `await tensor.data()`, which every backend supports.
   */
  syncReads?: boolean;
  /**
   * True where kernels are queued on a device that runs ahead of JavaScript (a GPU): reading a
   * value every iteration would stall it, so logged values are read at intervals. Default true
   * (reading later is always correct, only less prompt).
   */
  runsAhead?: boolean;
  /**
   * True where the backend can check a step's gradients for inf/NaN and act on the answer in the
   * same step (AmpOptimWrapper's overflow skip, `clip_grad.error_if_nonfinite`). Default: `syncReads`.
   */
  nonFiniteChecks?: boolean;
  /**
   * True when every kernel adds up in a fixed order, so the same seed gives bit-identical runs:
   * `randomness.deterministic: true` is refused on backends that do not declare it. Default false.
   */
  deterministic?: boolean;
  /** Why the backend is not deterministic, shown when `randomness.deterministic: true` is refused. */
  nondeterminism?: string;
  /** Memory the backend uses for tensors, in bytes, if it can tell. Default: `tf.memory().numBytes`. */
  memoryBytes?(): number | undefined;
  /**
   * Gives memory the backend keeps pooled for reuse back to the device (`torch.cuda.empty_cache()`);
   * live tensors are never touched. Default: none, and EmptyCacheHook says so.
   */
  releaseCaches?(): ReleasedCaches;
  /** Resolves once the device has finished all queued work. Default: immediate. */
  drain?(): Promise<void>;
}

/** The capabilities of one backend with every default filled in. */
export interface ResolvedCapabilities {
  /** The backend's name (its tfjs name). */
  name: string;
  /** False when the backend has no BACKENDS entry or its entry declares no capability: defaults apply. */
  declared: boolean;
  syncReads: boolean;
  runsAhead: boolean;
  nonFiniteChecks: boolean;
  deterministic: boolean;
  nondeterminism: string | undefined;
  memoryBytes(): number | undefined;
  releaseCaches: (() => ReleasedCaches) | undefined;
  drain(): Promise<void>;
}

const CAPABILITY_KEYS = ['syncReads', 'runsAhead', 'nonFiniteChecks', 'deterministic', 'memoryBytes', 'releaseCaches', 'drain'] as const;

/** Where backend authors read what to declare (error messages point here). */
export const CAPABILITIES_DOC = 'docs/writing-a-plugin.md#backend-capabilities';

let active: { tfName: string; caps: BackendCapabilities } | undefined;

/** Records the entry `setupBackend` started, under the name tfjs knows the backend by. */
export function setActiveBackend(tfName: string, caps: BackendCapabilities): void {
  active = { tfName, caps };
}

function jsMemoryBytes(): number | undefined {
  return (tf.memory() as { numBytes?: number }).numBytes;
}

export function resolveCapabilities(name: string, caps: BackendCapabilities | undefined): ResolvedCapabilities {
  const c = caps ?? {};
  const syncReads = c.syncReads === true;
  return {
    name,
    declared: CAPABILITY_KEYS.some((k) => c[k] !== undefined),
    syncReads,
    runsAhead: c.runsAhead !== false,
    nonFiniteChecks: c.nonFiniteChecks ?? syncReads,
    deterministic: c.deterministic === true,
    nondeterminism: c.nondeterminism,
    memoryBytes: () => c.memoryBytes?.() ?? jsMemoryBytes(),
    releaseCaches: c.releaseCaches ? () => c.releaseCaches!() : undefined,
    drain: async () => {
      await c.drain?.();
    },
  };
}

/** The tfjs backend in use; tfjs starts its default one first where none was chosen yet (as its first op would). */
export function activeBackendName(): string {
  if (!tf.getBackend()) tf.backend();
  return tf.getBackend();
}

const warnedUndeclared = new Set<string>();
let cached: { name: string; caps: BackendCapabilities | undefined; resolved: ResolvedCapabilities } | undefined;

/**
 * The capabilities of the backend tfjs runs on now: the entry `setupBackend` started, else the
 * BACKENDS entry of that name (a backend selected with `tf.setBackend` directly), else defaults.
 */
export function backendCapabilities(): ResolvedCapabilities {
  const name = activeBackendName();
  const caps = active?.tfName === name ? active.caps : (BACKENDS.get(name) as BackendCapabilities | undefined);
  // asked on every logged value: resolved once per backend entry
  if (cached?.name === name && cached.caps === caps) return cached.resolved;
  const resolved = resolveCapabilities(name, caps);
  cached = { name, caps, resolved };
  if (!resolved.declared && !warnedUndeclared.has(name)) {
    warnedUndeclared.add(name);
    getLogger().warn(
      `the "${name}" backend declares no capabilities, so trainkit assumes the safe defaults: tensors are read asynchronously and at intervals, runs are not deterministic, no caches are released (a backend plugin declares them in its BACKENDS entry: ${CAPABILITIES_DOC})`,
    );
  }
  return resolved;
}

/** The registered backends that declare `capability` true (for "use one of" hints). */
export function backendsDeclaring(capability: 'syncReads' | 'deterministic' | 'nonFiniteChecks'): string[] {
  return BACKENDS.keys()
    .filter((k) => {
      const caps = BACKENDS.get(k) as BackendCapabilities | undefined;
      return resolveCapabilities(k, caps)[capability];
    })
    .sort();
}

/** Whether the active backend can read tensors synchronously (`dataSync()`); see `syncReads`. */
export function backendReadsSync(): boolean {
  return backendCapabilities().syncReads;
}

/**
 * Waits until the active backend has finished the work queued so far: what a timer around
 * GPU work needs. Immediate on CPU backends, whose kernels finish before they return.
 */
export async function drainBackend(): Promise<void> {
  await backendCapabilities().drain();
}

/** Tensor memory of the active backend in whole MB (truncated, as MMEngine prints it), if it reports it. */
export function backendMemoryMB(): number | undefined {
  const bytes = backendCapabilities().memoryBytes();
  return bytes === undefined ? undefined : Math.floor(bytes / 2 ** 20);
}

/**
 * Releases the active backend's pooled memory through its `releaseCaches` capability; undefined
 * when the backend declares none.
 */
export function releaseBackendCaches(): (ReleasedCaches & { backend: string }) | undefined {
  const caps = backendCapabilities();
  const released = caps.releaseCaches?.();
  return released && { backend: caps.name, ...released };
}
