import { ConfigError } from '../errors.js';
import type { Hook, Mode } from './hook.js';
import { HOOK_POINTS, type HookPoint, snakeName } from './hook-points.js';
import { checkHookMethodNames } from './hook-method-names.js';
import { getPriority, priorityLabel } from './priority.js';

/** How one hook is called at one point (the point's own method or its mode-generic form). */
export type HookCall = (hook: Hook, runner: unknown, a?: unknown, b?: unknown, c?: unknown) => unknown;

export interface PlannedCall {
  hook: Hook;
  call: HookCall;
}

const GENERIC: Partial<Record<HookPoint, { method: 'beforeEpoch' | 'afterEpoch' | 'beforeIter' | 'afterIter'; mode: Mode }>> = {};
for (const mode of ['train', 'val', 'test'] as const) {
  const M = mode[0].toUpperCase() + mode.slice(1);
  GENERIC[`before${M}Epoch` as HookPoint] = { method: 'beforeEpoch', mode };
  GENERIC[`after${M}Epoch` as HookPoint] = { method: 'afterEpoch', mode };
  GENERIC[`before${M}Iter` as HookPoint] = { method: 'beforeIter', mode };
  GENERIC[`after${M}Iter` as HookPoint] = { method: 'afterIter', mode };
}

function callFor(hook: Hook, point: HookPoint): HookCall | undefined {
  const own = (hook as unknown as Record<string, unknown>)[point];
  type Method = (this: Hook, r: unknown, a?: unknown, b?: unknown, c?: unknown) => unknown;
  if (typeof own === 'function') return (h, r, a, b, c) => (h as unknown as Record<string, Method>)[point].call(h, r, a, b, c);
  const g = GENERIC[point];
  if (!g || typeof (hook as unknown as Record<string, unknown>)[g.method] !== 'function') return undefined;
  const { method, mode } = g;
  if (method === 'beforeEpoch') return (h, r) => h.beforeEpoch?.(r as never, mode);
  if (method === 'afterEpoch') return (h, r, a) => h.afterEpoch?.(r as never, mode, a as never);
  if (method === 'beforeIter') return (h, r, a, b) => h.beforeIter?.(r as never, a as number, b as never, mode);
  return (h, r, a, b, c) => h.afterIter?.(r as never, a as number, b as never, c, mode);
}

/**
 * The order hooks run in at every point: by priority (lower first, ties in registration order),
 * then adjusted so that every `runAfter` / `runBefore` constraint between two hooks that both
 * implement the point holds. Contradicting constraints fail with the cycle spelled out.
 */
export class HookPlan {
  readonly calls = new Map<HookPoint, PlannedCall[]>();

  constructor(readonly hooks: readonly Hook[]) {
    for (const hook of hooks) checkHookMethodNames(hook, hook.displayName);
    for (const point of HOOK_POINTS) {
      const present: PlannedCall[] = [];
      for (const hook of hooks) {
        const call = callFor(hook, point);
        if (call) present.push({ hook, call });
      }
      if (present.length) this.calls.set(point, orderWithConstraints(present, point));
    }
  }

  get(point: HookPoint): PlannedCall[] {
    return this.calls.get(point) ?? EMPTY;
  }

  /** MMEngine's "Hooks will be executed in the following order" text (without trailing spaces). */
  describe(): string {
    const blocks: string[] = [];
    for (const point of HOOK_POINTS) {
      const calls = this.calls.get(point);
      if (!calls) continue;
      const lines = [`${snakeName(point)}:`];
      for (const { hook } of calls) {
        lines.push(`(${priorityLabel(getPriority(hook.priority)).padEnd(12)}) ${hook.displayName}`);
      }
      lines.push(' --------------------');
      blocks.push(lines.join('\n'));
    }
    return blocks.join('\n');
  }
}

const EMPTY: PlannedCall[] = [];

/**
 * Kahn's algorithm that always takes, among the hooks whose constraints are met, the one that
 * comes first by priority (then registration). Without constraints this is the priority order;
 * a constraint delays the waiting hook until what it waits for has run, and hooks that wait for
 * nothing keep their priority order among themselves.
 */
function orderWithConstraints(calls: PlannedCall[], point: HookPoint): PlannedCall[] {
  const n = calls.length;
  const rank = calls.map((c, i) => ({ p: getPriority(c.hook.priority), i }));
  const byName = new Map<string, number[]>();
  calls.forEach((c, i) => {
    const name = c.hook.displayName;
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  // edge from -> to: `from` runs before `to`; `why` keeps the constraint that made it, for errors
  const edges: Array<Array<{ to: number; why: string }>> = Array.from({ length: n }, () => []);
  const indegree = new Array<number>(n).fill(0);
  const addEdge = (from: number, to: number, why: string) => {
    if (from === to) return;
    edges[from].push({ to, why });
    indegree[to]++;
  };
  calls.forEach((c, i) => {
    const me = c.hook.displayName;
    for (const name of c.hook.runAfter) for (const j of byName.get(name) ?? []) addEdge(j, i, `${me} run_after ${name}`);
    for (const name of c.hook.runBefore) for (const j of byName.get(name) ?? []) addEdge(i, j, `${me} run_before ${name}`);
  });
  const out: PlannedCall[] = [];
  const ready = new Set<number>();
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.add(i);
  while (ready.size) {
    let best = -1;
    for (const i of ready) if (best < 0 || rank[i].p < rank[best].p || (rank[i].p === rank[best].p && rank[i].i < rank[best].i)) best = i;
    ready.delete(best);
    out.push(calls[best]);
    for (const { to } of edges[best]) if (--indegree[to] === 0) ready.add(to);
  }
  if (out.length < n) {
    const cycle = findCycle(edges, indegree);
    const names = cycle.map((e) => calls[e.from].hook.displayName);
    names.push(names[0]);
    throw new ConfigError(
      `hook ordering constraints contradict each other at ${snakeName(point)}: ${names.join(' -> ')} (each arrow: runs before; from ${cycle.map((e) => e.why).join(', ')})`,
      {
        path: 'custom_hooks',
        fix: 'remove one of the run_after / run_before constraints in this cycle',
      },
    );
  }
  return out;
}

/**
 * One cycle among the hooks Kahn's algorithm could not place, as its edges in running order.
 * Every such hook has an unplaced predecessor, so walking predecessors must revisit a hook; the
 * walk starts anywhere, including at a hook that merely waits behind a cycle.
 */
function findCycle(edges: Array<Array<{ to: number; why: string }>>, indegree: number[]): Array<{ from: number; why: string }> {
  const stuck = indegree.map((d) => d > 0);
  const pred = new Map<number, { from: number; why: string }>();
  edges.forEach((list, from) => {
    if (!stuck[from]) return;
    for (const e of list) if (stuck[e.to] && !pred.has(e.to)) pred.set(e.to, { from, why: e.why });
  });
  const seen = new Set<number>();
  let v = stuck.indexOf(true);
  while (!seen.has(v)) {
    seen.add(v);
    v = pred.get(v)!.from;
  }
  // v is on the cycle: collect it backwards, then turn it into running order
  const back: Array<{ from: number; why: string }> = [];
  let u = v;
  do {
    const p = pred.get(u)!;
    back.push(p);
    u = p.from;
  } while (u !== v);
  return back.reverse();
}
